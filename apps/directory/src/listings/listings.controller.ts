import { Body, Controller, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import { ReplaceSchedulesDto, UpdateCapacityDto, UpdateLocationDto, UpdateServiceDto } from './dto/maintenance.dto';
import { ServiceSummaryResponse, UpdatedLocationResponse } from './dto/listing.response';
import { ListingsService } from './listings.service';

@ApiTags('directory maintenance')
@Controller('v1/directory')
export class ListingsController {
  constructor(private readonly listings: ListingsService) {}

  @Get('services/:id')
  @ApiOkResponse({ type: ServiceSummaryResponse, description: 'The network view of a listing: maintainer, capacity, electronic referrals' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a listing’s network view' })
  get(@UuidParam('id') id: string) {
    return this.listings.summary(id);
  }

  @Patch('services/:id')
  @Roles('network-admin', 'org-admin', 'staff')
  @ApiOkResponse({ type: ServiceSummaryResponse, description: 'The listing as changed' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Edit a listing' })
  update(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateServiceDto) {
    return this.listings.updateService(principal, id, body);
  }

  @Put('services/:id/capacity')
  @Roles('network-admin', 'org-admin', 'staff')
  @ApiOkResponse({ type: ServiceSummaryResponse, description: 'The listing with its new capacity' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Set a listing’s capacity' })
  capacity(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateCapacityDto) {
    return this.listings.updateCapacity(principal, id, body);
  }

  @Put('services/:id/schedules')
  @Roles('network-admin', 'org-admin', 'staff')
  @ApiOkResponse({ type: ServiceSummaryResponse, description: 'The listing; its opening hours are replaced' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Replace a listing’s opening hours' })
  schedules(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: ReplaceSchedulesDto) {
    return this.listings.replaceSchedules(principal, id, body);
  }

  @Post('services/:id/verify')
  @HttpCode(200)
  @Roles('network-admin', 'org-admin', 'staff')
  @ApiOkResponse({ type: ServiceSummaryResponse, description: 'The listing, verified now' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Mark a listing verified' })
  verify(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.listings.verify(principal, id);
  }

  @Patch('locations/:id')
  @Roles('network-admin', 'org-admin', 'staff')
  @ApiOkResponse({ type: UpdatedLocationResponse, description: 'The location’s id; its search rows are refreshed' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Edit a location' })
  location(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateLocationDto) {
    return this.listings.updateLocation(principal, id, body);
  }
}
