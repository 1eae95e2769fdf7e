import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import { ClientsService } from './clients.service';
import { CreateClientDto, UpdateClientDto } from './dto/client.dto';
import { ApiClientListResponse, ApiClientResponse, IssuedCredentialsResponse } from './dto/client.response';

@ApiTags('network administration')
@Controller('v1/organizations/:id/clients')
@Roles('network-admin', 'org-admin')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @ApiCreatedResponse({ type: IssuedCredentialsResponse, description: 'clientId and clientSecret; the secret is shown only this once' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Create an API client' })
  create(@CurrentPrincipal() principal: Principal, @UuidParam('id') organizationId: string, @Body() body: CreateClientDto) {
    return this.clients.create(principal, organizationId, body);
  }

  @Get()
  @ApiOkResponse({ type: ApiClientListResponse, description: 'The organization’s clients, oldest first, revoked ones too' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'List an organization’s API clients' })
  async list(@CurrentPrincipal() principal: Principal, @UuidParam('id') organizationId: string) {
    return { data: await this.clients.list(principal, organizationId) };
  }

  @Post(':clientId/rotate')
  @HttpCode(200)
  @ApiOkResponse({ type: IssuedCredentialsResponse, description: 'A new secret, shown only this once; the old one stops working' })
  @ApiProblems(404, 409)
  @ApiOperation({ summary: 'Rotate an API client’s secret' })
  rotate(@CurrentPrincipal() principal: Principal, @UuidParam('id') organizationId: string, @Param('clientId') clientId: string) {
    return this.clients.rotate(principal, organizationId, clientId);
  }

  @Patch(':clientId')
  @Roles('network-admin')
  @ApiOkResponse({ type: ApiClientResponse, description: 'The client with its own rate limit; its next token carries it to every service' })
  @ApiProblems(404, 409)
  @ApiOperation({ summary: 'Set an API client’s own rate limit' })
  update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') organizationId: string,
    @Param('clientId') clientId: string,
    @Body() body: UpdateClientDto,
  ) {
    return this.clients.update(principal, organizationId, clientId, body);
  }

  @Delete(':clientId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: its tokens stop working on every service within seconds' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Revoke an API client' })
  async revoke(@CurrentPrincipal() principal: Principal, @UuidParam('id') organizationId: string, @Param('clientId') clientId: string) {
    await this.clients.revoke(principal, organizationId, clientId);
  }
}
