/** Every table this service owns. */
export const entities: Function[] = [];
