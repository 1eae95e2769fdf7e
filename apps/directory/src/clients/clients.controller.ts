import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { UuidParam } from '@nwd/http';
import { ClientsService } from './clients.service';
import { CreateClientDto, UpdateClientDto } from './dto/client.dto';

@ApiTags('network administration')
@Controller('v1/organizations/:id/clients')
@Roles('network-admin', 'org-admin')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @ApiCreatedResponse({ description: 'clientId and clientSecret; the secret is shown only this once' })
  create(@CurrentPrincipal() principal: Principal, @UuidParam('id') organizationId: string, @Body() body: CreateClientDto) {
    return this.clients.create(principal, organizationId, body);
  }

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @UuidParam('id') organizationId: string) {
    return { data: await this.clients.list(principal, organizationId) };
  }

  @Post(':clientId/rotate')
  @HttpCode(200)
  rotate(@CurrentPrincipal() principal: Principal, @UuidParam('id') organizationId: string, @Param('clientId') clientId: string) {
    return this.clients.rotate(principal, organizationId, clientId);
  }

  @Patch(':clientId')
  @Roles('network-admin')
  @ApiOkResponse({ description: 'The client with its own rate limit; its next token carries it to every service' })
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
  async revoke(@CurrentPrincipal() principal: Principal, @UuidParam('id') organizationId: string, @Param('clientId') clientId: string) {
    await this.clients.revoke(principal, organizationId, clientId);
  }
}
