import { StreamDefinition, StreamName } from '@nwd/contracts';

export interface MessagingOptions {
  /** Streams this service publishes to; provisioned at boot together with the ones its consumers read and the DLQ. */
  streams: (StreamName | StreamDefinition)[];
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
