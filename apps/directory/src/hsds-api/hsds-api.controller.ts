import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@nwd/auth';
import { UuidParam } from '@nwd/http';
import {
  HsdsOrganizationGetQueryDto,
  HsdsOrganizationQueryDto,
  HsdsPageQueryDto,
  HsdsServiceAtLocationQueryDto,
  HsdsServiceQueryDto,
  HsdsTaxonomyTermQueryDto,
} from './dto/hsds-query.dto';
import { HsdsApiService } from './hsds-api.service';

/** Open data: the public listings as an Open Referral HSDS 3.0 API, readable without a token. */
@ApiTags('HSDS 3.0 (open data)')
@Public()
@Controller('hsds')
export class HsdsApiController {
  constructor(private readonly hsds: HsdsApiService) {}

  @Get()
  @ApiOperation({ summary: 'HSDS version and profile' })
  root() {
    return {
      version: '3.0',
      profile: 'https://openreferral.org/',
      openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json',
    };
  }

  @Get('services')
  @ApiOkResponse({ description: 'A Page of services' })
  services(@Query() query: HsdsServiceQueryDto) {
    return this.hsds.services(query);
  }

  @Get('services/:id')
  @ApiOkResponse({ description: 'A fully nested service' })
  service(@UuidParam('id') id: string) {
    return this.hsds.service(id);
  }

  @Get('organizations')
  organizations(@Query() query: HsdsOrganizationQueryDto) {
    return this.hsds.organizations(query);
  }

  @Get('organizations/:id')
  organization(@UuidParam('id') id: string, @Query() query: HsdsOrganizationGetQueryDto) {
    return this.hsds.organization(id, query.full_service === true);
  }

  @Get('service_at_locations')
  serviceAtLocations(@Query() query: HsdsServiceAtLocationQueryDto) {
    return this.hsds.serviceAtLocations(query);
  }

  @Get('service_at_locations/:id')
  serviceAtLocation(@UuidParam('id') id: string) {
    return this.hsds.serviceAtLocation(id);
  }

  @Get('taxonomies')
  taxonomies(@Query() query: HsdsPageQueryDto) {
    return this.hsds.taxonomies(query);
  }

  @Get('taxonomies/:id')
  taxonomy(@UuidParam('id') id: string) {
    return this.hsds.taxonomy(id);
  }

  @Get('taxonomy_terms')
  taxonomyTerms(@Query() query: HsdsTaxonomyTermQueryDto) {
    return this.hsds.taxonomyTerms(query);
  }

  @Get('taxonomy_terms/:id')
  taxonomyTerm(@UuidParam('id') id: string) {
    return this.hsds.taxonomyTerm(id);
  }
}
