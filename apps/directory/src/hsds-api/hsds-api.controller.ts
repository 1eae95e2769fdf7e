import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import {
  HsdsOrganizationGetQueryDto,
  HsdsOrganizationQueryDto,
  HsdsPageQueryDto,
  HsdsServiceAtLocationQueryDto,
  HsdsServiceQueryDto,
  HsdsTaxonomyTermQueryDto,
} from './dto/hsds-query.dto';
import {
  HsdsOrganizationPage,
  HsdsOrganizationResponse,
  HsdsRootResponse,
  HsdsServiceAtLocationPage,
  HsdsServiceAtLocationResponse,
  HsdsServicePage,
  HsdsServiceResponse,
  HsdsTaxonomyPage,
  HsdsTaxonomyResponse,
  HsdsTaxonomyTermPage,
  HsdsTaxonomyTermResponse,
} from './dto/hsds.response';
import { HsdsApiService } from './hsds-api.service';

/** Open data: the public listings as an Open Referral HSDS 3.0 API, readable without a token. */
@ApiTags('HSDS 3.0 (open data)')
@Public()
@Controller('hsds')
export class HsdsApiController {
  constructor(private readonly hsds: HsdsApiService) {}

  @Get()
  @ApiOperation({ summary: 'HSDS version and profile' })
  @ApiOkResponse({ type: HsdsRootResponse })
  root(): HsdsRootResponse {
    return {
      version: '3.0',
      profile: 'https://openreferral.org/',
      openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json',
    };
  }

  @Get('services')
  @ApiOkResponse({ type: HsdsServicePage, description: 'A Page of services' })
  @ApiOperation({ summary: 'List public services' })
  services(@Query() query: HsdsServiceQueryDto) {
    return this.hsds.services(query);
  }

  @Get('services/:id')
  @ApiOkResponse({ type: HsdsServiceResponse, description: 'A fully nested service' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a public service' })
  service(@UuidParam('id') id: string) {
    return this.hsds.service(id);
  }

  @Get('organizations')
  @ApiOkResponse({ type: HsdsOrganizationPage })
  @ApiOperation({ summary: 'List organizations' })
  organizations(@Query() query: HsdsOrganizationQueryDto) {
    return this.hsds.organizations(query);
  }

  @Get('organizations/:id')
  @ApiOkResponse({ type: HsdsOrganizationResponse })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read an organization' })
  organization(@UuidParam('id') id: string, @Query() query: HsdsOrganizationGetQueryDto) {
    return this.hsds.organization(id, query.full_service === true);
  }

  @Get('service_at_locations')
  @ApiOkResponse({ type: HsdsServiceAtLocationPage })
  @ApiOperation({ summary: 'List services at locations' })
  serviceAtLocations(@Query() query: HsdsServiceAtLocationQueryDto) {
    return this.hsds.serviceAtLocations(query);
  }

  @Get('service_at_locations/:id')
  @ApiOkResponse({ type: HsdsServiceAtLocationResponse })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a service at a location' })
  serviceAtLocation(@UuidParam('id') id: string) {
    return this.hsds.serviceAtLocation(id);
  }

  @Get('taxonomies')
  @ApiOkResponse({ type: HsdsTaxonomyPage })
  @ApiOperation({ summary: 'List taxonomies' })
  taxonomies(@Query() query: HsdsPageQueryDto) {
    return this.hsds.taxonomies(query);
  }

  @Get('taxonomies/:id')
  @ApiOkResponse({ type: HsdsTaxonomyResponse })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a taxonomy' })
  taxonomy(@UuidParam('id') id: string) {
    return this.hsds.taxonomy(id);
  }

  @Get('taxonomy_terms')
  @ApiOkResponse({ type: HsdsTaxonomyTermPage })
  @ApiOperation({ summary: 'List taxonomy terms' })
  taxonomyTerms(@Query() query: HsdsTaxonomyTermQueryDto) {
    return this.hsds.taxonomyTerms(query);
  }

  @Get('taxonomy_terms/:id')
  @ApiOkResponse({ type: HsdsTaxonomyTermResponse })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a taxonomy term' })
  taxonomyTerm(@UuidParam('id') id: string) {
    return this.hsds.taxonomyTerm(id);
  }
}
