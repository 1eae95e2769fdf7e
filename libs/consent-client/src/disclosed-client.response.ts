import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTACT_PREFERENCES,
  ContactPreference,
  ETHNICITY_CATEGORIES,
  EthnicityCategory,
  RACE_CATEGORIES,
  RaceCategory,
  SEX_CODES,
  SexCode,
} from '@nwd/contracts';

/**
 * The client's fields as a consent decision lets a reader see them, each present only when allowed:
 * what the consent service's register reads and the referral service's referral reads show of
 * another organization's client. Each response adds its id and its withheld markers.
 */
export class DisclosedClientFieldsResponse {
  @ApiPropertyOptional() givenName?: string;
  @ApiPropertyOptional() familyName?: string;
  @ApiPropertyOptional({ format: 'date' }) birthDate?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) phone?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) postalCode?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) preferredLanguage?: string | null;
  @ApiPropertyOptional() interpreterNeeded?: boolean;
  @ApiPropertyOptional({ enum: CONTACT_PREFERENCES, nullable: true }) contactPreference?: ContactPreference | null;
  @ApiPropertyOptional() doNotContact?: boolean;
  @ApiPropertyOptional({ enum: Object.keys(RACE_CATEGORIES), isArray: true }) race?: RaceCategory[];
  @ApiPropertyOptional({ enum: Object.keys(ETHNICITY_CATEGORIES), isArray: true }) ethnicity?: EthnicityCategory[];
  @ApiPropertyOptional({ enum: SEX_CODES, nullable: true }) sex?: SexCode | null;
  @ApiPropertyOptional({ nullable: true, type: String }) genderIdentity?: string | null;
}
