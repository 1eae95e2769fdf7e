import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  CONTACT_PREFERENCES,
  ContactPreference,
  DATA_CATEGORIES,
  DataCategory,
  ETHNICITY_CATEGORIES,
  EthnicityCategory,
  RACE_CATEGORIES,
  RaceCategory,
  SEX_CODES,
  SexCode,
  WITHHOLDING_REASONS,
  WithholdingReason,
} from '@nwd/contracts';
import { DisclosedClientFieldsResponse } from '@nwd/consent-client';

const RACE_CODES = Object.keys(RACE_CATEGORIES);
const ETHNICITY_CODES = Object.keys(ETHNICITY_CATEGORIES);

export class PossibleDuplicateResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'How alike the two registrations are, 0..1' }) score!: number;
}

/** A registration as its own organization sees it: everything. */
export class ClientResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ format: 'date' }) birthDate!: string;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) postalCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) preferredLanguage!: string | null;
  @ApiProperty() interpreterNeeded!: boolean;
  @ApiProperty({ enum: CONTACT_PREFERENCES, nullable: true }) contactPreference!: ContactPreference | null;
  @ApiProperty() doNotContact!: boolean;
  @ApiProperty({ enum: RACE_CODES, isArray: true }) race!: RaceCategory[];
  @ApiProperty({ enum: ETHNICITY_CODES, isArray: true }) ethnicity!: EthnicityCategory[];
  @ApiProperty({ enum: SEX_CODES, nullable: true }) sex!: SexCode | null;
  @ApiProperty({ nullable: true, type: String }) genderIdentity!: string | null;
  @ApiProperty({ format: 'uuid' }) registeredByOrganizationId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** A registration with the organization's other registrations that may be the same person. */
export class RegisteredClientResponse extends ClientResponse {
  @ApiPropertyOptional({ type: [PossibleDuplicateResponse], description: 'Possible duplicates within the organization, closest first' })
  possibleDuplicates?: PossibleDuplicateResponse[];
}

export class MergedClientResponse extends RegisteredClientResponse {
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'The registrations merged into this one' }) mergedClientIds!: string[];
}

export class WithheldCategoryResponse {
  @ApiProperty({ enum: DATA_CATEGORIES }) category!: DataCategory;
  @ApiProperty({ enum: WITHHOLDING_REASONS }) reason!: WithholdingReason;
}

/** Another organization's registration: only what the consent decision allowed, and what was withheld and why. */
export class DisclosedClientResponse extends DisclosedClientFieldsResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: [WithheldCategoryResponse] }) withheld!: WithheldCategoryResponse[];
  @ApiPropertyOptional({ description: 'Present when the data includes 42 CFR Part 2 records: it must travel with them' }) redisclosureNotice?: string;
}

/** The caller's own registration in full, or another organization's as far as consent allows. */
export const OWN_OR_DISCLOSED_CLIENT = { oneOf: [{ $ref: getSchemaPath(RegisteredClientResponse) }, { $ref: getSchemaPath(DisclosedClientResponse) }] };

export class ClientMatchResponse {
  @ApiProperty({ description: 'How well the name matches, 0..1' }) score!: number;
  @ApiProperty({ ...OWN_OR_DISCLOSED_CLIENT }) client!: RegisteredClientResponse | DisclosedClientResponse;
}

export class ClientMatchListResponse {
  @ApiProperty({ type: [ClientMatchResponse] }) data!: ClientMatchResponse[];
}

export class DuplicatePairResponse {
  @ApiProperty({ description: 'How alike the two registrations are, 0..1' }) score!: number;
  @ApiProperty({ type: [ClientResponse], minItems: 2, maxItems: 2 }) clients!: ClientResponse[];
}

export class DuplicatePairListResponse {
  @ApiProperty({ type: [DuplicatePairResponse] }) data!: DuplicatePairResponse[];
}
