import { ObjectType } from 'type-graphql';
import { ConnectionType } from '@sendco/federation';
import { Clinic } from './clinic.entity';

@ObjectType({ description: 'Upcoming clinics, a page at a time.' })
export class ClinicConnection extends ConnectionType(Clinic) {}
