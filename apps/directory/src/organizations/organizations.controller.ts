import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { UuidParam } from '@nwd/http';
import { CreateOrganizationDto, ListOrganizationsQueryDto, UpdateOrganizationDto } from './dto/organization.dto';
import { OrganizationsService } from './organizations.service';

@ApiTags('network administration')
@Controller('v1/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @Roles('network-admin')
  @ApiCreatedResponse({ description: 'The new member organization, active' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateOrganizationDto) {
    return this.organizations.create(principal, body);
  }

  @Get()
  @ApiOkResponse({ description: 'Member organizations, by name' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListOrganizationsQueryDto) {
    return { data: await this.organizations.list(principal, query) };
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.organizations.get(principal, id);
  }

  @Patch(':id')
  @Roles('network-admin', 'org-admin')
  update(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateOrganizationDto) {
    return this.organizations.update(principal, id, body);
  }
}
