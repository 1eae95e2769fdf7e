import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { UuidParam } from '@nwd/http';
import { ClientsService } from './clients.service';
import { CreateClientDto, MergeClientDto, PossibleDuplicatesQueryDto, SearchClientsQueryDto, UpdateClientDto } from './dto/client.dto';

@ApiTags('client register')
@Controller('v1/clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @Roles('staff', 'org-admin', 'system')
  @ApiCreatedResponse({ description: 'The registration, with possible duplicates in the organization flagged' })
  register(@CurrentPrincipal() principal: Principal, @Body() body: CreateClientDto) {
    return this.clients.register(principal, body);
  }

  @Get()
  @Roles('staff', 'org-admin', 'system')
  @ApiOkResponse({ description: 'Clients the organization may see whose name matches, best first' })
  search(@CurrentPrincipal() principal: Principal, @Query() query: SearchClientsQueryDto) {
    return this.clients.search(principal, query);
  }

  @Get('possible-duplicates')
  @Roles('staff', 'org-admin')
  @ApiOkResponse({ description: 'Pairs of the organization’s registrations that may be one person, closest first' })
  possibleDuplicates(@CurrentPrincipal() principal: Principal, @Query() query: PossibleDuplicatesQueryDto) {
    return this.clients.possibleDuplicates(principal, query);
  }

  @Get(':id')
  @Roles('staff', 'org-admin', 'system')
  read(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.clients.read(principal, id);
  }

  @Patch(':id')
  @Roles('staff', 'org-admin', 'system')
  update(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateClientDto) {
    return this.clients.update(principal, id, body);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Roles('org-admin')
  @ApiOkResponse({ description: 'The surviving registration; the duplicate now stands for it' })
  merge(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: MergeClientDto) {
    return this.clients.merge(principal, id, body);
  }
}
