export * from './domain';
export * from './inventory-event';
export * from './socket-events';
export * from './api';
export * from './commitments';
