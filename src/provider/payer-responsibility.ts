/** Who pays for the endpoints that connect to an endpoint service. */
export enum PayerResponsibility {
  /** The service owner pays for endpoint hours and data processing. */
  SERVICE_OWNER = 'ServiceOwner',
}
