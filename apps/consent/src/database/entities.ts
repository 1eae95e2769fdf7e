import { Client } from '../clients/client.entity';

/** Every table this service owns. */
export const entities: Function[] = [Client];
