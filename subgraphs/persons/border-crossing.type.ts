import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../platform/scalars';

export enum CrossingDirection {
  ENTRY = 'ENTRY',
  EXIT = 'EXIT',
}

registerEnumType(CrossingDirection, {
  name: 'CrossingDirection',
  description: 'Whether the person entered or left Azerbaijan.',
});

/** Border checkpoints the demo data and the border service feed use. */
export enum BorderCheckpoint {
  GYD_HEYDAR_ALIYEV_AIRPORT = 'GYD_HEYDAR_ALIYEV_AIRPORT',
  GANJA_AIRPORT = 'GANJA_AIRPORT',
  NAKHCHIVAN_AIRPORT = 'NAKHCHIVAN_AIRPORT',
  BAKU_SEA_PORT = 'BAKU_SEA_PORT',
  RED_BRIDGE = 'RED_BRIDGE',
  SAMUR = 'SAMUR',
  ASTARA = 'ASTARA',
  BILASUVAR = 'BILASUVAR',
  SADARAK = 'SADARAK',
  BALAKAN = 'BALAKAN',
}

registerEnumType(BorderCheckpoint, {
  name: 'BorderCheckpoint',
  description: 'A checkpoint on the state border of Azerbaijan.',
  valuesConfig: {
    GYD_HEYDAR_ALIYEV_AIRPORT: { description: 'Heydar Aliyev International Airport, Baku.' },
    GANJA_AIRPORT: { description: 'Ganja International Airport.' },
    NAKHCHIVAN_AIRPORT: { description: 'Nakhchivan International Airport.' },
    BAKU_SEA_PORT: { description: 'Baku International Sea Trade Port (Alat).' },
    RED_BRIDGE: { description: 'Red Bridge (Qırmızı Körpü), road checkpoint on the border with Georgia.' },
    SAMUR: { description: 'Samur, road checkpoint on the border with Russia.' },
    ASTARA: { description: 'Astara, road checkpoint on the border with Iran.' },
    BILASUVAR: { description: 'Bilasuvar, road checkpoint on the border with Iran.' },
    SADARAK: { description: 'Sadarak, road checkpoint on the border with Türkiye (Nakhchivan).' },
    BALAKAN: { description: 'Balakan (Mazımçay), road checkpoint on the border with Georgia.' },
  },
});

@ObjectType({ description: 'One crossing of the state border, as the border service recorded it.' })
export class BorderCrossing {
  @Field(() => ID, { description: 'Identifier of the crossing record in the border service feed (UUID).' })
  id: string;

  @Field(() => CrossingDirection, { description: 'Entry into or exit from Azerbaijan.' })
  direction: CrossingDirection;

  @Field(() => DateScalar, { description: 'The day of the crossing (Baku time).' })
  date: string;

  @Field(() => BorderCheckpoint, { description: 'Where the person crossed.' })
  checkpoint: BorderCheckpoint;

  /** Not in the schema as such: `person` resolves it. */
  personId: string;
}
