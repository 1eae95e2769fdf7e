import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { DirectoryConfig } from '../directory.config';
import { ensureNetworkAdminClient } from './network-admin';

/** Creates the first network admin from NWD_ADMIN_CLIENT_ID / NWD_ADMIN_CLIENT_SECRET when it does not exist. */
@Injectable()
export class NetworkAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(NetworkAdminBootstrap.name);

  constructor(
    private readonly config: DirectoryConfig,
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { NWD_ADMIN_CLIENT_ID: clientId, NWD_ADMIN_CLIENT_SECRET: secret } = this.config;
    if (!clientId || !secret) return;
    const created = await this.dataSource.transaction((manager) =>
      ensureNetworkAdminClient(manager, this.auditLog, { clientId, secret, actor: 'system:bootstrap' }),
    );
    if (created) this.logger.log({ msg: 'network admin client created', clientId });
  }
}
