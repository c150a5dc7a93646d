/**
 * Renders the estate in Prism Central v4 shapes (as in specs/nutanix/v4/fixtures): `$objectType` and
 * `$reserved` on every object, but only on the FIRST element of a nested array; `data` omitted on an empty
 * page; references as `{extId}` (vmm), `{uuid,name}` (host → cluster) or a bare string (networking/volumes).
 */
import type { PrismWorld, SimCluster, SimHost, SimNic, SimSubnet, SimVm, SimVolumeGroup } from './model';

type Json = Record<string, unknown>;

/** A v4 object: `$objectType` + `$reserved` first, then the fields. */
export function obj(type: string, fields: Json, fv = 'v4.r1'): Json {
  return { $objectType: type, $reserved: { $fv: fv }, ...fields };
}

/** A nested v4 array: later siblings lose their `$objectType`/`$reserved` (the real API's quirk). */
export function arr(items: Json[]): Json[] {
  return items.map((item, i) => {
    if (i === 0) return item;
    const { $objectType: _t, $reserved: _r, ...rest } = item;
    return rest;
  });
}

const ipv4 = (value: string) => obj('common.v1.config.IPv4Address', { prefixLength: 32, value }, 'v1.r0');
const ipAddress = (value: string) => obj('common.v1.config.IPAddress', { ipv4: ipv4(value) }, 'v1.r0');

/** Which NIC layout to render: ≤ v4.0 `backingInfo`/`networkInfo`, ≥ v4.1 `nicBackingInfo`/`nicNetworkInfo`. */
export type NicLayout = 'v4.0' | 'v4.1';

function renderNic(nic: SimNic, layout: NicLayout): Json {
  const v4Learned = nic.learnedIps.filter((ip) => !ip.includes(':'));
  const networkFields: Json = {
    ...(nic.assignedIps.length > 0
      ? {
          ipv4Config: obj('vmm.v4.ahv.config.Ipv4Config', {
            ipAddress: ipv4(nic.assignedIps[0]!),
            ...(nic.assignedIps.length > 1
              ? { secondaryIpAddressList: arr(nic.assignedIps.slice(1).map(ipv4)) }
              : {}),
            shouldAssignIp: true,
          }),
        }
      : {}),
    ...(v4Learned.length > 0
      ? { ipv4Info: obj('vmm.v4.ahv.config.Ipv4Info', { learnedIpAddresses: arr(v4Learned.map(ipv4)) }) }
      : {}),
    nicType: 'NORMAL_NIC',
    subnet: obj('vmm.v4.ahv.config.SubnetReference', { extId: nic.subnetId }),
    vlanMode: 'ACCESS',
  };
  const backingFields: Json = { isConnected: nic.isConnected, macAddress: nic.macAddress, numQueues: 1 };
  if (layout === 'v4.0') {
    return obj('vmm.v4.ahv.config.Nic', {
      backingInfo: obj('vmm.v4.ahv.config.EmulatedNic', backingFields),
      extId: nic.extId,
      networkInfo: obj('vmm.v4.ahv.config.NicNetworkInfo', networkFields),
    });
  }
  return obj('vmm.v4.ahv.config.Nic', {
    extId: nic.extId,
    nicBackingInfo: obj('vmm.v4.ahv.config.VirtualEthernetNic', { ...backingFields, model: 'VIRTIO' }),
    nicNetworkInfo: obj('vmm.v4.ahv.config.VirtualEthernetNicNetworkInfo', networkFields),
  });
}

/** The default project and the admin owner every VM of the fixture references. */
const DEFAULT_PROJECT_ID = '208b7c42-fcec-4ad1-8570-5bf7bf138801';
const ADMIN_OWNER_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Boot configuration as in the fixture: legacy BIOS, or UEFI with an NVRAM disk cloned from an image. Which
 * one is derived from the id (not drawn from the RNG) so adding it left every generated estate unchanged.
 */
function renderBootConfig(vm: SimVm): Json {
  const bootOrder = ['CDROM', 'DISK', 'NETWORK'];
  if (Number.parseInt(vm.extId.at(-1) ?? '0', 16) % 2 === 0) {
    return obj('vmm.v4.ahv.config.LegacyBoot', { bootOrder });
  }
  return obj('vmm.v4.ahv.config.UefiBoot', {
    bootOrder,
    isSecureBootEnabled: false,
    nvramDevice: obj('vmm.v4.ahv.config.NvramDevice', {
      backingStorageInfo: obj('vmm.v4.ahv.config.VmDisk', {
        dataSource: obj('vmm.v4.ahv.config.DataSource', {
          reference: obj('vmm.v4.ahv.config.VmDiskReference', {
            diskExtId: vm.extId.replace(/^.{8}/, 'dddddddd'),
          }),
        }),
        diskExtId: vm.extId.replace(/^.{8}/, 'eeeeeeee'),
      }),
    }),
  });
}

/**
 * A `vmm.v4.ahv.config.Vm` with every top-level field the recorded VMs carry (vms_limit2_page0.json: 5.0 and
 * 6.9 KB per VM compact), so list pages weigh what a real Prism Central sends.
 */
export function renderVm(vm: SimVm, layout: NicLayout): Json {
  const disks = vm.disks.filter((d) => d.kind !== 'cdrom');
  const cdroms = vm.disks.filter((d) => d.kind === 'cdrom');
  return obj('vmm.v4.ahv.config.Vm', {
    apcConfig: obj('vmm.v4.ahv.config.ApcConfig', { isApcEnabled: false }),
    biosUuid: vm.extId,
    bootConfig: renderBootConfig(vm),
    ...(vm.categoryIds.length > 0
      ? {
          categories: arr(
            vm.categoryIds.map((extId) => obj('vmm.v4.ahv.config.CategoryReference', { extId })),
          ),
        }
      : {}),
    cdRoms: arr(
      cdroms.map((d) =>
        obj('vmm.v4.ahv.config.CdRom', {
          ...(d.kind === 'cdrom' && d.sizeBytes !== null
            ? {
                backingInfo: obj('vmm.v4.ahv.config.VmDisk', {
                  diskExtId: d.extId,
                  diskSizeBytes: d.sizeBytes,
                  isMigrationInProgress: false,
                  storageContainer: obj('vmm.v4.ahv.config.VmDiskContainerReference', {
                    extId: d.containerId,
                  }),
                }),
              }
            : {}),
          diskAddress: obj('vmm.v4.ahv.config.CdRomAddress', { busType: d.busType, index: d.index }),
          extId: d.extId,
          isoType: 'OTHER',
        }),
      ),
    ),
    cluster: obj('vmm.v4.ahv.config.ClusterReference', { extId: vm.clusterId }),
    createTime: vm.createTime,
    ...(vm.description ? { description: vm.description } : {}),
    disks: arr(
      disks.map((d) =>
        obj('vmm.v4.ahv.config.Disk', {
          backingInfo:
            d.kind === 'vg'
              ? obj('vmm.v4.ahv.config.ADSFVolumeGroupReference', { volumeGroupExtId: d.volumeGroupId })
              : obj('vmm.v4.ahv.config.VmDisk', {
                  diskExtId: d.extId,
                  diskSizeBytes: d.kind === 'disk' ? d.sizeBytes : 0,
                  isMigrationInProgress: false,
                  storageContainer: obj('vmm.v4.ahv.config.VmDiskContainerReference', {
                    extId: d.kind === 'disk' ? d.containerId : null,
                  }),
                }),
          diskAddress: obj('vmm.v4.ahv.config.DiskAddress', { busType: d.busType, index: d.index }),
          extId: d.extId,
        }),
      ),
    ),
    extId: vm.extId,
    generationUuid: vm.extId.replace(/^.{8}/, 'aaaaaaaa'),
    ...(vm.guestOsVersion
      ? {
          guestTools: obj('vmm.v4.ahv.config.GuestTools', {
            guestOsVersion: vm.guestOsVersion,
            isEnabled: true,
            isInstalled: true,
            isReachable: vm.powerState === 'ON',
          }),
        }
      : {}),
    hardwareClockTimezone: 'UTC',
    ...(vm.hostId ? { host: obj('vmm.v4.ahv.config.HostReference', { extId: vm.hostId }) } : {}),
    isAgentVm: vm.isAgentVm,
    isBrandingEnabled: true,
    isCpuHotplugEnabled: true,
    isCpuPassthroughEnabled: false,
    isCrossClusterMigrationInProgress: false,
    isGpuConsoleEnabled: false,
    isLiveMigrateCapable: vm.powerState === 'ON',
    isMemoryOvercommitEnabled: false,
    isScsiControllerEnabled: true,
    isVcpuHardPinningEnabled: false,
    isVgaConsoleEnabled: true,
    machineType: 'PC',
    memorySizeBytes: vm.memorySizeBytes,
    name: vm.name,
    nics: arr(vm.nics.map((n) => renderNic(n, layout))),
    numCoresPerSocket: vm.numCoresPerSocket,
    numNumaNodes: 0,
    numSockets: vm.numSockets,
    numThreadsPerCore: vm.numThreadsPerCore,
    ownershipInfo: obj('vmm.v4.ahv.config.OwnershipInfo', {
      owner: obj('vmm.v4.ahv.config.OwnerReference', { extId: ADMIN_OWNER_ID }),
    }),
    powerState: vm.powerState,
    project: obj('vmm.v4.ahv.config.ProjectReference', { extId: DEFAULT_PROJECT_ID }),
    protectionType: 'UNPROTECTED',
    updateTime: vm.updateTime,
    vtpmConfig: obj('vmm.v4.ahv.config.VtpmConfig', { isVtpmEnabled: false }),
  });
}

/** A `clustermgmt.v4.config.Cluster`. */
export function renderCluster(cluster: SimCluster, world: PrismWorld): Json {
  const hosts = world.hosts.filter((h) => h.clusterId === cluster.extId);
  const nodeList = cluster.isPrismCentral
    ? [
        obj('clustermgmt.v4.config.NodeListItemReference', {
          controllerVmIp: ipAddress(cluster.externalIp),
          nodeUuid: cluster.extId.replace(/^.{8}/, 'f1f36a0c'),
        }),
      ]
    : hosts.map((h) =>
        obj('clustermgmt.v4.config.NodeListItemReference', {
          controllerVmIp: ipAddress(h.cvmIp),
          hostIp: ipAddress(h.ip),
          nodeUuid: h.extId,
        }),
      );
  return obj('clustermgmt.v4.config.Cluster', {
    config: obj('clustermgmt.v4.config.ClusterConfigReference', {
      buildInfo: obj('clustermgmt.v4.config.BuildReference', {
        buildType: 'release',
        fullVersion: cluster.fullVersion,
        version: cluster.version,
      }),
      clusterArch: 'X86_64',
      clusterFunction: cluster.isPrismCentral
        ? ['PRISM_CENTRAL']
        : hosts.length === 1
          ? ['ONE_NODE', 'AOS']
          : ['AOS'],
      hypervisorTypes: cluster.isPrismCentral ? ['$UNKNOWN'] : ['AHV'],
      isAvailable: cluster.isAvailable,
      ...(cluster.faultTolerance
        ? {
            faultToleranceState: obj('clustermgmt.v4.config.FaultToleranceState', {
              currentMaxFaultTolerance: cluster.faultTolerance.current,
              desiredMaxFaultTolerance: cluster.faultTolerance.desired,
            }),
          }
        : {}),
      redundancyFactor: cluster.redundancyFactor,
      timezone: 'UTC',
    }),
    extId: cluster.extId,
    name: cluster.name,
    network: obj('clustermgmt.v4.config.ClusterNetworkReference', {
      externalAddress: cluster.isPrismCentral
        ? obj('common.v1.config.IPAddress', {}, 'v1.r0')
        : ipAddress(cluster.externalIp),
    }),
    nodes: obj('clustermgmt.v4.config.NodeReference', {
      nodeList: arr(nodeList),
      numberOfNodes: nodeList.length,
    }),
    ...(cluster.isPrismCentral
      ? {}
      : {
          upgradeStatus: 'SUCCEEDED',
          vmCount: world.vms.filter((v) => v.clusterId === cluster.extId).length,
        }),
  });
}

/** A `clustermgmt.v4.config.Host` (note: its cluster reference is `{uuid,name}`, not `{extId}`). */
export function renderHost(host: SimHost, world: PrismWorld): Json {
  const cluster = world.clusters.find((c) => c.extId === host.clusterId)!;
  return obj('clustermgmt.v4.config.Host', {
    blockModel: 'NX-3060-G8',
    cluster: obj('clustermgmt.v4.config.ClusterReference', { name: cluster.name, uuid: cluster.extId }),
    cpuFrequencyHz: host.cpuFrequencyHz,
    cpuModel: host.cpuModel,
    disk: arr(
      host.diskSizes.map((size, i) =>
        obj('clustermgmt.v4.config.DiskReference', {
          serialId: `SN${host.extId.slice(0, 6)}${i}`,
          sizeInBytes: size,
          uuid: `${host.extId.slice(0, 24)}${String(i).padStart(12, '0')}`,
        }),
      ),
    ),
    extId: host.extId,
    hostName: host.name,
    hostType: 'HYPER_CONVERGED',
    hypervisor: obj('clustermgmt.v4.config.HypervisorReference', {
      acropolisConnectionState: host.connectionState ?? 'CONNECTED',
      externalAddress: ipAddress(host.ip),
      fullName: 'AHV 10.0.1.4',
      numberOfVms: world.vms.filter((v) => v.hostId === host.extId).length,
      state: host.hypervisorState ?? 'ACROPOLIS_NORMAL',
      type: 'AHV',
    }),
    ...(host.isDegraded ? { isDegraded: true } : {}),
    maintenanceState: host.maintenanceState ?? 'normal',
    memorySizeBytes: host.memorySizeBytes,
    nodeStatus: 'NORMAL',
    numberOfCpuCores: host.numberOfCpuCores,
    numberOfCpuSockets: host.numberOfCpuSockets,
    numberOfCpuThreads: host.numberOfCpuThreads,
  });
}

/** A `networking.v4.config.Subnet`. */
export function renderSubnet(subnet: SimSubnet): Json {
  const ip = (value: string) => obj('common.v1.config.IPv4Address', { value, prefixLength: 32 }, 'v1.r0');
  return {
    $objectType: 'networking.v4.config.Subnet',
    $reserved: { $fv: 'v4.r1' },
    extId: subnet.extId,
    name: subnet.name,
    subnetType: subnet.type,
    ...(subnet.vlanId !== null ? { networkId: subnet.vlanId } : {}),
    ipConfig: arr([
      obj('networking.v4.config.IPConfig', {
        ipv4: obj('networking.v4.config.IPv4Config', {
          ipSubnet: obj('networking.v4.config.IPv4Subnet', {
            ip: ip(subnet.networkIp),
            prefixLength: subnet.prefixLength,
          }),
          defaultGatewayIp: ip(subnet.gateway),
        }),
      }),
    ]),
    ...(subnet.clusterId
      ? { clusterReference: subnet.clusterId }
      : { vpcReference: subnet.extId.replace(/^.{8}/, 'bbbbbbbb') }),
    isExternal: false,
    isAdvancedNetworking: subnet.type === 'OVERLAY',
  };
}

/** A `volumes.v4.config.VolumeGroup` (disks and attachments are separate sub-collections). */
export function renderVolumeGroup(vg: SimVolumeGroup): Json {
  return obj('volumes.v4.config.VolumeGroup', {
    clusterReference: vg.clusterId,
    createdBy: 'admin',
    extId: vg.extId,
    isHidden: false,
    name: vg.name,
    sharingStatus: vg.attachedVmIds.length > 1 ? 'SHARED' : 'NOT_SHARED',
    usageType: 'USER',
  });
}

/** A `volumes.v4.config.VolumeDisk`. */
export function renderVolumeDisk(disk: SimVolumeGroup['disks'][number]): Json {
  return obj('volumes.v4.config.VolumeDisk', {
    diskSizeBytes: disk.sizeBytes,
    extId: disk.extId,
    index: disk.index,
    storageContainerId: disk.containerId,
  });
}

/** The `metadata` block of a v4 response. */
export function listMetadata(
  links: { href: string; rel: string }[],
  total: number | undefined,
  paginated = true,
): Json {
  return obj(
    'common.v1.response.ApiResponseMetadata',
    {
      flags: arr(
        [
          ['hasError', false],
          ['isPaginated', paginated],
          ['isTruncated', false],
        ].map(([name, value]) => obj('common.v1.config.Flag', { name, value }, 'v1.r0')),
      ).map((f) => ({ $objectType: 'common.v1.config.Flag', $reserved: { $fv: 'v1.r0' }, ...f })),
      links: arr(links.map((l) => obj('common.v1.response.ApiLink', l, 'v1.r0'))),
      ...(total === undefined ? {} : { totalAvailableResults: total }),
    },
    'v1.r0',
  );
}

/** A v4 error body (`<ns>.v4.error.ErrorResponse` with an AppMessage list). */
export function v4Error(namespace: string, code: string, message: string, errorGroup = 'GENERAL'): Json {
  return obj(`${namespace}.v4.error.ErrorResponse`, {
    data: obj(`${namespace}.v4.error.ErrorResponse`, {
      error: arr([
        obj(`${namespace}.v4.error.AppMessage`, {
          message,
          severity: 'ERROR',
          code,
          locale: 'en_US',
          errorGroup,
          argumentsMap: {},
        }),
      ]),
    }),
  });
}

/** A v4 schema/query validation error body (`data.error` is a SchemaValidationError). */
export function v4ValidationError(namespace: string, path: string, attribute: string, message: string): Json {
  return obj(`${namespace}.v4.error.ErrorResponse`, {
    data: obj(`${namespace}.v4.error.ErrorResponse`, {
      error: obj(`${namespace}.v4.error.SchemaValidationError`, {
        statusCode: 400,
        error: 'Bad Request',
        path,
        timestamp: new Date().toISOString(),
        validationErrorMessages: arr([
          obj(`${namespace}.v4.error.SchemaValidationErrorMessage`, {
            attributePath: attribute,
            location: 'query',
            message,
          }),
        ]),
      }),
    }),
  });
}
