import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import { CreateWebhookDto, DeliveryLogQueryDto, ReplayDto, UpdateWebhookDto } from './dto/webhook.dto';
import {
  ReplayResponse,
  WebhookDeliveryListResponse,
  WebhookDeliveryResponse,
  WebhookEndpointListResponse,
  WebhookEndpointResponse,
  WebhookEndpointWithSecretResponse,
} from './dto/webhook.response';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Controller('v1/webhooks')
@Roles('org-admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretResponse, description: 'The endpoint, with its signing secret shown this once' })
  @ApiOperation({ summary: 'Register a webhook endpoint for the organization' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWebhookDto) {
    return this.webhooks.create(principal, body);
  }

  @Get()
  @ApiOkResponse({ type: WebhookEndpointListResponse, description: "The organization's endpoints" })
  @ApiOperation({ summary: 'List webhook endpoints' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.webhooks.list(principal);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookEndpointResponse, description: 'The endpoint' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a webhook endpoint' })
  read(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.webhooks.read(principal, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: WebhookEndpointResponse, description: 'The endpoint as changed' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Change a webhook endpoint: its URL, events, or turn it on or off' })
  update(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateWebhookDto) {
    return this.webhooks.update(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its queued deliveries and log' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Delete a webhook endpoint' })
  remove(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.webhooks.remove(principal, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookEndpointWithSecretResponse, description: 'The new secret, shown this once; the previous one signs beside it until previousSecretExpiresAt' })
  @ApiProblems(404)
  @ApiOperation({ summary: "Rotate the endpoint's signing secret" })
  rotateSecret(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.webhooks.rotateSecret(principal, id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: WebhookDeliveryListResponse, description: 'Deliveries to the endpoint, newest first, each with every try' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read the delivery log' })
  deliveries(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Query() query: DeliveryLogQueryDto) {
    return this.webhooks.deliveryLog(principal, id, query.limit);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse, description: 'Queued to be sent again, after any earlier delivery for its referral' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Send one delivery again' })
  redeliver(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @UuidParam('deliveryId') deliveryId: string) {
    return this.webhooks.redeliver(principal, id, deliveryId);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ReplayResponse, description: 'The deliveries of events in the range, queued again in their order' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Send again every delivery of events that occurred in a time range' })
  replay(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: ReplayDto) {
    return this.webhooks.replay(principal, id, body);
  }
}
