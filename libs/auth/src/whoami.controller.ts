import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BaseConfig } from '@nwd/config';
import { CurrentPrincipal } from './decorators';
import { WhoamiResponse } from './dto/whoami.response';
import { Principal } from './principal';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('v1/whoami')
export class WhoamiController {
  constructor(private readonly config: BaseConfig) {}

  @Get()
  @ApiOkResponse({ type: WhoamiResponse, description: "The caller's organization, API client and roles, as this service verified them" })
  @ApiOperation({ summary: 'The caller as this service verified it' })
  whoami(@CurrentPrincipal() principal: Principal): WhoamiResponse {
    return {
      organizationId: principal.organizationId,
      subject: principal.subject,
      roles: principal.roles,
      service: this.config.serviceName,
    };
  }
}
