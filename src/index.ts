export * from './provider';
export * from './notifications';
