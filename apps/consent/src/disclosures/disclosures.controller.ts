import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import { DisclosuresService } from './disclosures.service';
import { DisclosureHistoryQueryDto } from './dto/disclosure.dto';
import { DisclosureHistoryResponse } from './dto/disclosure.response';

@ApiTags('accounting of disclosures')
@Controller('v1/clients')
export class DisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  @Get(':id/disclosures')
  @Roles('org-admin', 'staff', 'network-admin')
  @ApiOkResponse({ type: DisclosureHistoryResponse, description: 'Every disclosure of the client’s data to another organization, oldest first' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'The accounting of disclosures of a client' })
  history(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Query() query: DisclosureHistoryQueryDto) {
    return this.disclosures.history(principal, id, query);
  }
}
