import { Client } from '../clients/client.entity';
import { Disclosure } from '../disclosures/disclosure.entity';

/** Every table this service owns. */
export const entities: Function[] = [Client, Disclosure];
