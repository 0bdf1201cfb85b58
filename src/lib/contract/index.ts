export * from './domain';
export * from './inventory-event';
export * from './socket-events';
export * from './api';
export * from './commitments';
export * from './notifications';
export * from './board';
