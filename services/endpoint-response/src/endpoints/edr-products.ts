// The EDR products whose APIs endpoint-response drives (isolation, release, inventory).
export const EDR_PRODUCTS = ['CROWDSTRIKE_FALCON', 'CYBEREASON', 'CARBON_BLACK', 'FIREEYE_HX'] as const;
export type EdrProductValue = (typeof EDR_PRODUCTS)[number];
