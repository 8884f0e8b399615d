import { PumphouseError } from '../errors/index.js';

/** PH_CLOUD_UNSUPPORTED: the cloud's release lacks what an operation needs. */
export function unsupported(cloud: string, service: string, what: string, needs: string): PumphouseError {
  return new PumphouseError('PH_CLOUD_UNSUPPORTED', `${cloud} ${service}: ${what} needs ${needs}, which this cloud does not offer`, {
    details: { cloud, service, needs },
  });
}
