/**
 * The nflex resource kinds this connector does not produce (appliance, service offering, SaaS user, colo
 * space, circuit), kept for parity with the original library and its golden vectors.
 */
import { type KindOptions, kindOptions, Resource } from './resources';

/** Appliance.typeId values the platform understands (documented, not enforced). */
export type ApplianceTypeId =
  | 'firewall'
  | 'load_balancer'
  | 'router'
  | 'switch'
  | 'storage'
  | 'kvm'
  | 'unknown';

/** Options of `new Appliance(...)`. */
export interface ApplianceOptions extends KindOptions {
  typeId?: ApplianceTypeId | string | null;
  /** Accepted and discarded, as in the original. */
  sizeB?: number | null;
}

/** A network or storage appliance. */
export class Appliance extends Resource {
  readonly typeId: string | null;

  constructor(options: ApplianceOptions = {}) {
    super(kindOptions(options, 'appliance', ['typeId', 'sizeB']));
    this.typeId = options.typeId ?? null;
  }

  /** `{type_id}`. */
  protected override details(): Record<string, unknown> {
    return { type_id: this.typeId };
  }
}

/** Options of `new ServiceOffering(...)`. */
export interface ServiceOfferingOptions extends KindOptions {
  typeId?: string | null;
}

/** A service offering. */
export class ServiceOffering extends Resource {
  readonly typeId: string | null;

  constructor(options: ServiceOfferingOptions = {}) {
    super(kindOptions(options, 'service_offering', ['typeId']));
    this.typeId = options.typeId ?? null;
  }

  /** `{type_id}`. */
  protected override details(): Record<string, unknown> {
    return { type_id: this.typeId };
  }
}

/** Options of `new SaasUser(...)`. */
export interface SaasUserOptions extends KindOptions {
  avatarUrl?: string | null;
  phone?: string | null;
  address?: string | null;
  language?: string | null;
  isActive?: boolean | null;
  diskQuotaB?: number | null;
  diskUsedB?: number | null;
  email?: string | null;
  country?: string | null;
}

const SAAS_USER_KEYS = [
  'avatarUrl',
  'phone',
  'address',
  'language',
  'isActive',
  'diskQuotaB',
  'diskUsedB',
  'email',
  'country',
];

/** A user of a SaaS product. */
export class SaasUser extends Resource {
  readonly avatarUrl: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  readonly language: string | null;
  readonly isActive: boolean | null;
  readonly diskQuotaB: number | null;
  readonly diskUsedB: number | null;
  readonly email: string | null;
  readonly country: string | null;

  constructor(options: SaasUserOptions = {}) {
    super(kindOptions(options, 'saas_user', SAAS_USER_KEYS));
    this.avatarUrl = options.avatarUrl ?? null;
    this.phone = options.phone ?? null;
    this.address = options.address ?? null;
    this.language = options.language ?? null;
    this.isActive = options.isActive ?? null;
    this.diskQuotaB = options.diskQuotaB ?? null;
    this.diskUsedB = options.diskUsedB ?? null;
    this.email = options.email ?? null;
    this.country = options.country ?? null;
  }

  /** All fields, language last (the original's output order). */
  protected override details(): Record<string, unknown> {
    return {
      avatar_url: this.avatarUrl,
      phone: this.phone,
      address: this.address,
      is_active: this.isActive,
      disk_quota_b: this.diskQuotaB,
      disk_used_b: this.diskUsedB,
      email: this.email,
      country: this.country,
      language: this.language,
    };
  }
}

/** Options of `new ColoSpace(...)`. */
export interface ColoSpaceOptions extends KindOptions {
  powerAllocationW?: number | null;
  typeId?: string | null;
  coloSpaceLocation?: string | null;
  customerName?: string | null;
  customerLabel?: string | null;
  customerDescription?: string | null;
  combination?: string | null;
}

const COLO_SPACE_KEYS = [
  'powerAllocationW',
  'typeId',
  'coloSpaceLocation',
  'customerName',
  'customerLabel',
  'customerDescription',
  'combination',
];

/** Space in a colocation facility. */
export class ColoSpace extends Resource {
  readonly powerAllocationW: number | null;
  readonly typeId: string | null;
  readonly coloSpaceLocation: string | null;
  readonly customerName: string | null;
  readonly customerLabel: string | null;
  readonly customerDescription: string | null;
  readonly combination: string | null;

  constructor(options: ColoSpaceOptions = {}) {
    super(kindOptions(options, 'colo_space', COLO_SPACE_KEYS));
    this.powerAllocationW = options.powerAllocationW ?? null;
    this.typeId = options.typeId ?? null;
    this.coloSpaceLocation = options.coloSpaceLocation ?? null;
    this.customerName = options.customerName ?? null;
    this.customerLabel = options.customerLabel ?? null;
    this.customerDescription = options.customerDescription ?? null;
    this.combination = options.combination ?? null;
  }

  /** All fields, always present. */
  protected override details(): Record<string, unknown> {
    return {
      power_allocation_w: this.powerAllocationW,
      type_id: this.typeId,
      colo_space_location: this.coloSpaceLocation,
      customer_name: this.customerName,
      customer_label: this.customerLabel,
      customer_description: this.customerDescription,
      combination: this.combination,
    };
  }
}

/** Options of `new Circuit(...)`. */
export interface CircuitOptions extends KindOptions {
  typeId?: string | null;
  carrier?: string | null;
  reference?: string | null;
  endpointA?: string | null;
  endpointB?: string | null;
}

/** A network circuit between two endpoints. */
export class Circuit extends Resource {
  readonly typeId: string | null;
  readonly carrier: string | null;
  readonly reference: string | null;
  readonly endpointA: string | null;
  readonly endpointB: string | null;

  constructor(options: CircuitOptions = {}) {
    super(kindOptions(options, 'circuit', ['typeId', 'carrier', 'reference', 'endpointA', 'endpointB']));
    this.typeId = options.typeId ?? null;
    this.carrier = options.carrier ?? null;
    this.reference = options.reference ?? null;
    this.endpointA = options.endpointA ?? null;
    this.endpointB = options.endpointB ?? null;
  }

  /** All fields, always present. */
  protected override details(): Record<string, unknown> {
    return {
      type_id: this.typeId,
      carrier: this.carrier,
      reference: this.reference,
      endpoint_a: this.endpointA,
      endpoint_b: this.endpointB,
    };
  }
}
