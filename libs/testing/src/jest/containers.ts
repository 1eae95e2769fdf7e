import { Socket } from 'node:net';
import { DEFAULT_DATABASE_URL, DEFAULT_NATS_URL } from '../environment';

/**
 * Integration tests run against real PostgreSQL and NATS: the ones named by DATABASE_URL /
 * NATS_URL, else the local servers. Only when neither is reachable and a Docker engine answers
 * do we start them with testcontainers.
 */
interface Stoppable {
  stop(): Promise<unknown>;
}
const started: Stoppable[] = [];

export async function startContainersIfNeeded(): Promise<void> {
  const needPostgres = !process.env.DATABASE_URL && !(await reachable(DEFAULT_DATABASE_URL));
  const needNats = !process.env.NATS_URL && !(await reachable(DEFAULT_NATS_URL));
  if (!needPostgres && !needNats) return;
  if (!(await dockerAnswers())) {
    throw new Error(
      `No ${needPostgres ? 'PostgreSQL' : 'NATS'} at its default address and no Docker engine for testcontainers: ` +
        'start the local servers (see README) or set DATABASE_URL / NATS_URL.',
    );
  }
  if (needPostgres) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:15').withUsername('postgres').withPassword('postgres').start();
    started.push(container);
    process.env.DATABASE_URL = container.getConnectionUri();
  }
  if (needNats) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('nats:2.9')
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start();
    started.push(container);
    process.env.NATS_URL = `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
  }
}

export async function stopContainers(): Promise<void> {
  while (started.length) await started.pop()!.stop();
}

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.connect(Number(port), hostname);
  });
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
