export * from './connection-event';
export { ConnectionNotificationSource } from './connection-notification-source';
export * from './connection-notification';
