import type { CapacityStatus } from '@nwd/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * The HSDS 3.0 tables, one entity per tabular resource, fields as the spec names them (generated from the
 * spec's datapackage.json). Dates, times and datetimes stay the publisher's text and numbers come back from
 * PostgreSQL as strings (numeric keeps the digits as given): see the migration 1763900200000.
 */

@Entity('hsds_organization')
export class HsdsOrganization {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'alternate_name', nullable: true }) alternateName!: string | null;
  @Column('text') description!: string;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('text', { nullable: true }) website!: string | null;
  @Column('text', { name: 'tax_status', nullable: true }) taxStatus!: string | null;
  @Column('text', { name: 'tax_id', nullable: true }) taxId!: string | null;
  @Column('numeric', { name: 'year_incorporated', nullable: true }) yearIncorporated!: string | null;
  @Column('text', { name: 'legal_status', nullable: true }) legalStatus!: string | null;
  @Column('text', { nullable: true }) logo!: string | null;
  @Column('text', { nullable: true }) uri!: string | null;
  @Column('uuid', { name: 'parent_organization_id', nullable: true }) parentOrganizationId!: string | null;
}

@Entity('hsds_program')
export class HsdsProgram {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'alternate_name', nullable: true }) alternateName!: string | null;
  @Column('text') description!: string;
}

@Entity('hsds_service')
export class HsdsService {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'program_id', nullable: true }) programId!: string | null;
  @Column('text') name!: string;
  @Column('text', { name: 'alternate_name', nullable: true }) alternateName!: string | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { nullable: true }) url!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('text') status!: string;
  @Column('text', { name: 'interpretation_services', nullable: true }) interpretationServices!: string | null;
  @Column('text', { name: 'application_process', nullable: true }) applicationProcess!: string | null;
  @Column('text', { name: 'fees_description', nullable: true }) feesDescription!: string | null;
  @Column('text', { name: 'wait_time', nullable: true }) waitTime!: string | null;
  @Column('text', { nullable: true }) fees!: string | null;
  @Column('text', { nullable: true }) accreditations!: string | null;
  @Column('text', { name: 'eligibility_description', nullable: true }) eligibilityDescription!: string | null;
  @Column('numeric', { name: 'minimum_age', nullable: true }) minimumAge!: string | null;
  @Column('numeric', { name: 'maximum_age', nullable: true }) maximumAge!: string | null;
  @Column('text', { name: 'assured_date', nullable: true }) assuredDate!: string | null;
  @Column('text', { name: 'assurer_email', nullable: true }) assurerEmail!: string | null;
  @Column('text', { nullable: true }) licenses!: string | null;
  @Column('text', { nullable: true }) alert!: string | null;
  @Column('text', { name: 'last_modified', nullable: true }) lastModified!: string | null;

  // The network's fields beside HSDS.
  @Column('uuid', { name: 'maintainer_organization_id', nullable: true }) maintainerOrganizationId!: string | null;
  @Column('boolean', { name: 'accepts_electronic_referrals' }) acceptsElectronicReferrals!: boolean;
  @Column('text', { name: 'capacity_status' }) capacityStatus!: CapacityStatus;
  @Column('integer', { name: 'capacity_expected_wait_days', nullable: true }) capacityExpectedWaitDays!: number | null;
  @Column('timestamptz', { name: 'capacity_updated_at', nullable: true }) capacityUpdatedAt!: Date | null;
  @Column('timestamptz', { name: 'listed_at' }) listedAt!: Date;
  @Column('timestamptz', { name: 'last_verified_at', nullable: true }) lastVerifiedAt!: Date | null;
  @Column('text', { name: 'last_verified_by', nullable: true }) lastVerifiedBy!: string | null;
  @Column('timestamptz', { name: 'stale_since', nullable: true }) staleSince!: Date | null;
  @Column('boolean') confidential!: boolean;
  @Column('text', { name: 'time_zone', nullable: true }) timeZone!: string | null;
  @Column('timestamptz', { name: 'network_updated_at' }) networkUpdatedAt!: Date;
}

@Entity('hsds_attribute')
export class HsdsAttribute {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'link_id' }) linkId!: string;
  @Column('uuid', { name: 'taxonomy_term_id' }) taxonomyTermId!: string;
  @Column('text', { name: 'link_type', nullable: true }) linkType!: string | null;
  @Column('text', { name: 'link_entity' }) linkEntity!: string;
  @Column('text', { nullable: true }) value!: string | null;
}

@Entity('hsds_service_at_location')
export class HsdsServiceAtLocation {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'service_id' }) serviceId!: string;
  @Column('uuid', { name: 'location_id' }) locationId!: string;
  @Column('text', { nullable: true }) description!: string | null;
}

@Entity('hsds_location')
export class HsdsLocation {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'location_type' }) locationType!: string;
  @Column('text', { nullable: true }) url!: string | null;
  @Column('uuid', { name: 'organization_id', nullable: true }) organizationId!: string | null;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { name: 'alternate_name', nullable: true }) alternateName!: string | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { nullable: true }) transportation!: string | null;
  @Column('numeric', { nullable: true }) latitude!: string | null;
  @Column('numeric', { nullable: true }) longitude!: string | null;
  @Column('text', { name: 'external_identifier', nullable: true }) externalIdentifier!: string | null;
  @Column('text', { name: 'external_identifier_type', nullable: true }) externalIdentifierType!: string | null;

  /** Network field: address, coordinates and details never leave the directory. */
  @Column('boolean') confidential!: boolean;
}

@Entity('hsds_phone')
export class HsdsPhone {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'location_id', nullable: true }) locationId!: string | null;
  @Column('uuid', { name: 'service_id', nullable: true }) serviceId!: string | null;
  @Column('uuid', { name: 'organization_id', nullable: true }) organizationId!: string | null;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId!: string | null;
  @Column('uuid', { name: 'service_at_location_id', nullable: true }) serviceAtLocationId!: string | null;
  @Column('text') number!: string;
  @Column('numeric', { nullable: true }) extension!: string | null;
  @Column('text', { nullable: true }) type!: string | null;
  @Column('text', { nullable: true }) description!: string | null;
}

@Entity('hsds_contact')
export class HsdsContact {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id', nullable: true }) organizationId!: string | null;
  @Column('uuid', { name: 'service_id', nullable: true }) serviceId!: string | null;
  @Column('uuid', { name: 'service_at_location_id', nullable: true }) serviceAtLocationId!: string | null;
  @Column('uuid', { name: 'location_id', nullable: true }) locationId!: string | null;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { nullable: true }) title!: string | null;
  @Column('text', { nullable: true }) department!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
}

@Entity('hsds_address')
export class HsdsAddress {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'location_id', nullable: true }) locationId!: string | null;
  @Column('text', { nullable: true }) attention!: string | null;
  @Column('text', { name: 'address_1' }) address1!: string;
  @Column('text', { name: 'address_2', nullable: true }) address2!: string | null;
  @Column('text') city!: string;
  @Column('text', { nullable: true }) region!: string | null;
  @Column('text', { name: 'state_province' }) stateProvince!: string;
  @Column('text', { name: 'postal_code' }) postalCode!: string;
  @Column('text') country!: string;
  @Column('text', { name: 'address_type' }) addressType!: string;
}

@Entity('hsds_schedule')
export class HsdsSchedule {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'service_id', nullable: true }) serviceId!: string | null;
  @Column('uuid', { name: 'location_id', nullable: true }) locationId!: string | null;
  @Column('uuid', { name: 'service_at_location_id', nullable: true }) serviceAtLocationId!: string | null;
  @Column('text', { name: 'valid_from', nullable: true }) validFrom!: string | null;
  @Column('text', { name: 'valid_to', nullable: true }) validTo!: string | null;
  @Column('text', { nullable: true }) dtstart!: string | null;
  @Column('numeric', { nullable: true }) timezone!: string | null;
  @Column('text', { nullable: true }) until!: string | null;
  @Column('numeric', { nullable: true }) count!: string | null;
  @Column('text', { nullable: true }) wkst!: string | null;
  @Column('text', { nullable: true }) freq!: string | null;
  @Column('numeric', { nullable: true }) interval!: string | null;
  @Column('text', { nullable: true }) byday!: string | null;
  @Column('text', { nullable: true }) byweekno!: string | null;
  @Column('text', { nullable: true }) bymonthday!: string | null;
  @Column('text', { nullable: true }) byyearday!: string | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { name: 'opens_at', nullable: true }) opensAt!: string | null;
  @Column('text', { name: 'closes_at', nullable: true }) closesAt!: string | null;
  @Column('text', { name: 'schedule_link', nullable: true }) scheduleLink!: string | null;
  @Column('text', { name: 'attending_type', nullable: true }) attendingType!: string | null;
  @Column('text', { nullable: true }) notes!: string | null;
}

@Entity('hsds_funding')
export class HsdsFunding {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id', nullable: true }) organizationId!: string | null;
  @Column('uuid', { name: 'service_id', nullable: true }) serviceId!: string | null;
  @Column('text', { nullable: true }) source!: string | null;
}

@Entity('hsds_service_area')
export class HsdsServiceArea {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'service_id', nullable: true }) serviceId!: string | null;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { nullable: true }) extent!: string | null;
  @Column('text', { name: 'extent_type', nullable: true }) extentType!: string | null;
  @Column('text', { nullable: true }) uri!: string | null;
}

@Entity('hsds_required_document')
export class HsdsRequiredDocument {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'service_id', nullable: true }) serviceId!: string | null;
  @Column('text', { nullable: true }) document!: string | null;
  @Column('text', { nullable: true }) uri!: string | null;
}

@Entity('hsds_language')
export class HsdsLanguage {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'service_id', nullable: true }) serviceId!: string | null;
  @Column('uuid', { name: 'location_id', nullable: true }) locationId!: string | null;
  @Column('uuid', { name: 'phone_id', nullable: true }) phoneId!: string | null;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { nullable: true }) code!: string | null;
  @Column('text', { nullable: true }) note!: string | null;
}

@Entity('hsds_accessibility')
export class HsdsAccessibility {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'location_id', nullable: true }) locationId!: string | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { nullable: true }) details!: string | null;
  @Column('text', { nullable: true }) url!: string | null;
}

@Entity('hsds_taxonomy_term')
export class HsdsTaxonomyTerm {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { nullable: true }) code!: string | null;
  @Column('text') name!: string;
  @Column('text') description!: string;
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId!: string | null;
  @Column('text', { nullable: true }) taxonomy!: string | null;
  @Column('text', { nullable: true }) language!: string | null;
  @Column('uuid', { name: 'taxonomy_id', nullable: true }) taxonomyId!: string | null;
  @Column('text', { name: 'term_uri', nullable: true }) termUri!: string | null;
}

@Entity('hsds_metadata')
export class HsdsMetadata {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'resource_id' }) resourceId!: string;
  @Column('text', { name: 'resource_type' }) resourceType!: string;
  @Column('text', { name: 'last_action_date' }) lastActionDate!: string;
  @Column('text', { name: 'last_action_type' }) lastActionType!: string;
  @Column('text', { name: 'field_name' }) fieldName!: string;
  @Column('text', { name: 'previous_value' }) previousValue!: string;
  @Column('text', { name: 'replacement_value' }) replacementValue!: string;
  @Column('text', { name: 'updated_by' }) updatedBy!: string;
}

@Entity('hsds_meta_table_description')
export class HsdsMetaTableDescription {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { nullable: true }) language!: string | null;
  @Column('text', { name: 'character_set', nullable: true }) characterSet!: string | null;
}

@Entity('hsds_cost_option')
export class HsdsCostOption {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'service_id' }) serviceId!: string;
  @Column('text', { name: 'valid_from', nullable: true }) validFrom!: string | null;
  @Column('text', { name: 'valid_to', nullable: true }) validTo!: string | null;
  @Column('text', { nullable: true }) option!: string | null;
  @Column('text', { nullable: true }) currency!: string | null;
  @Column('numeric', { nullable: true }) amount!: string | null;
  @Column('text', { name: 'amount_description', nullable: true }) amountDescription!: string | null;
}

@Entity('hsds_organization_identifier')
export class HsdsOrganizationIdentifier {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('text', { name: 'identifier_scheme', nullable: true }) identifierScheme!: string | null;
  @Column('text', { name: 'identifier_type' }) identifierType!: string;
  @Column('text') identifier!: string;
}

@Entity('hsds_taxonomy')
export class HsdsTaxonomy {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') description!: string;
  @Column('text', { nullable: true }) uri!: string | null;
  @Column('text', { nullable: true }) version!: string | null;
}

/** Every HSDS table's entity. */
export const HSDS_ENTITIES: Function[] = [HsdsOrganization, HsdsProgram, HsdsService, HsdsAttribute, HsdsServiceAtLocation, HsdsLocation, HsdsPhone, HsdsContact, HsdsAddress, HsdsSchedule, HsdsFunding, HsdsServiceArea, HsdsRequiredDocument, HsdsLanguage, HsdsAccessibility, HsdsTaxonomyTerm, HsdsMetadata, HsdsMetaTableDescription, HsdsCostOption, HsdsOrganizationIdentifier, HsdsTaxonomy];
