import { Body, Controller, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { UuidParam } from '@nwd/http';
import { ReplaceSchedulesDto, UpdateCapacityDto, UpdateLocationDto, UpdateServiceDto } from './dto/maintenance.dto';
import { ListingsService } from './listings.service';

@ApiTags('directory maintenance')
@Controller('v1/directory')
export class ListingsController {
  constructor(private readonly listings: ListingsService) {}

  @Get('services/:id')
  @ApiOkResponse({ description: 'The network view of a listing: maintainer, capacity, electronic referrals' })
  get(@UuidParam('id') id: string) {
    return this.listings.summary(id);
  }

  @Patch('services/:id')
  @Roles('network-admin', 'org-admin', 'staff')
  update(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateServiceDto) {
    return this.listings.updateService(principal, id, body);
  }

  @Put('services/:id/capacity')
  @Roles('network-admin', 'org-admin', 'staff')
  capacity(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateCapacityDto) {
    return this.listings.updateCapacity(principal, id, body);
  }

  @Put('services/:id/schedules')
  @Roles('network-admin', 'org-admin', 'staff')
  schedules(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: ReplaceSchedulesDto) {
    return this.listings.replaceSchedules(principal, id, body);
  }

  @Post('services/:id/verify')
  @HttpCode(200)
  @Roles('network-admin', 'org-admin', 'staff')
  verify(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.listings.verify(principal, id);
  }

  @Patch('locations/:id')
  @Roles('network-admin', 'org-admin', 'staff')
  location(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateLocationDto) {
    return this.listings.updateLocation(principal, id, body);
  }
}
