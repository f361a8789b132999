export * from './privatelink-dashboard';
