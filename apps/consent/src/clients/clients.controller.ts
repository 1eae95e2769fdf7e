import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import { ClientsService } from './clients.service';
import { CreateClientDto, MergeClientDto, PossibleDuplicatesQueryDto, SearchClientsQueryDto, UpdateClientDto } from './dto/client.dto';
import {
  ClientMatchListResponse,
  DisclosedClientResponse,
  DuplicatePairListResponse,
  MergedClientResponse,
  OWN_OR_DISCLOSED_CLIENT,
  RegisteredClientResponse,
} from './dto/client.response';

@ApiTags('client register')
@ApiExtraModels(RegisteredClientResponse, DisclosedClientResponse)
@Controller('v1/clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @Roles('staff', 'org-admin', 'system')
  @ApiCreatedResponse({ type: RegisteredClientResponse, description: 'The registration, with possible duplicates in the organization flagged' })
  @ApiOperation({ summary: 'Register a client' })
  register(@CurrentPrincipal() principal: Principal, @Body() body: CreateClientDto) {
    return this.clients.register(principal, body);
  }

  @Get()
  @Roles('staff', 'org-admin', 'system')
  @ApiOkResponse({ type: ClientMatchListResponse, description: 'Clients the organization may see whose name matches, best first' })
  @ApiOperation({ summary: 'Search the client register by name' })
  search(@CurrentPrincipal() principal: Principal, @Query() query: SearchClientsQueryDto) {
    return this.clients.search(principal, query);
  }

  @Get('possible-duplicates')
  @Roles('staff', 'org-admin')
  @ApiOkResponse({ type: DuplicatePairListResponse, description: 'Pairs of the organization’s registrations that may be one person, closest first' })
  @ApiOperation({ summary: 'List possible duplicate registrations' })
  possibleDuplicates(@CurrentPrincipal() principal: Principal, @Query() query: PossibleDuplicatesQueryDto) {
    return this.clients.possibleDuplicates(principal, query);
  }

  @Get(':id')
  @Roles('staff', 'org-admin', 'system')
  @ApiOkResponse({ schema: OWN_OR_DISCLOSED_CLIENT, description: 'The organization’s own registration in full; another’s as far as consent allows' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a client' })
  read(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.clients.read(principal, id);
  }

  @Patch(':id')
  @Roles('staff', 'org-admin', 'system')
  @ApiOkResponse({ type: RegisteredClientResponse, description: 'The registration as changed' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Change a registration' })
  update(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateClientDto) {
    return this.clients.update(principal, id, body);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Roles('org-admin')
  @ApiOkResponse({ type: MergedClientResponse, description: 'The surviving registration; the duplicate now stands for it' })
  @ApiProblems(404, 409)
  @ApiOperation({ summary: 'Merge a duplicate registration into this one' })
  merge(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: MergeClientDto) {
    return this.clients.merge(principal, id, body);
  }
}
