/** A registry id: every record the registries keep (a person, an application, a payment) is named by a UUID. */
export const REGISTRY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
