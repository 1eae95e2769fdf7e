import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import { CreateOrganizationDto, ListOrganizationsQueryDto, UpdateOrganizationDto } from './dto/organization.dto';
import { OrganizationListResponse, OrganizationResponse } from './dto/organization.response';
import { OrganizationsService } from './organizations.service';

@ApiTags('network administration')
@Controller('v1/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @Roles('network-admin')
  @ApiCreatedResponse({ type: OrganizationResponse, description: 'The new member organization, active' })
  @ApiOperation({ summary: 'Register a member organization' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateOrganizationDto) {
    return this.organizations.create(principal, body);
  }

  @Get()
  @ApiOkResponse({ type: OrganizationListResponse, description: 'Member organizations, by name' })
  @ApiOperation({ summary: 'List member organizations' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListOrganizationsQueryDto) {
    return { data: await this.organizations.list(principal, query) };
  }

  @Get(':id')
  @ApiOkResponse({ type: OrganizationResponse })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a member organization' })
  get(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.organizations.get(principal, id);
  }

  @Patch(':id')
  @Roles('network-admin', 'org-admin')
  @ApiOkResponse({ type: OrganizationResponse, description: 'The organization as changed' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Rename, suspend or reactivate an organization' })
  update(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateOrganizationDto) {
    return this.organizations.update(principal, id, body);
  }
}
