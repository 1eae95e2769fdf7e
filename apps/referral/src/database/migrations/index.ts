/** Every schema change of this service, in order. */
export const migrations: Function[] = [];
