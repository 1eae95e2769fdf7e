import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import { CreateSubscriptionDto, ScopeQueryDto, UpdateSubscriptionDto } from './dto/subscription.dto';
import { SubscriptionListResponse, SubscriptionResponse } from './dto/subscription.response';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('notification subscriptions')
@Controller('v1/subscriptions')
@Roles('org-admin', 'network-admin')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @ApiCreatedResponse({ type: SubscriptionResponse, description: 'The subscription: its events are delivered from now on' })
  @ApiOperation({ summary: 'Subscribe an address (email) or the inbox (in-app) to event types' })
  create(@CurrentPrincipal() principal: Principal, @Query() query: ScopeQueryDto, @Body() body: CreateSubscriptionDto) {
    return this.subscriptions.create(principal, query.scope, body);
  }

  @Get()
  @ApiOkResponse({ type: SubscriptionListResponse, description: 'The organization’s (or with scope=network the network’s) subscriptions, oldest first' })
  @ApiOperation({ summary: 'List subscriptions' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ScopeQueryDto) {
    return this.subscriptions.list(principal, query.scope);
  }

  @Get(':id')
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Read a subscription' })
  read(@CurrentPrincipal() principal: Principal, @Query() query: ScopeQueryDto, @UuidParam('id') id: string) {
    return this.subscriptions.read(principal, query.scope, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: SubscriptionResponse, description: 'The subscription as changed' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Change a subscription (its channel stays)' })
  update(@CurrentPrincipal() principal: Principal, @Query() query: ScopeQueryDto, @UuidParam('id') id: string, @Body() body: UpdateSubscriptionDto) {
    return this.subscriptions.update(principal, query.scope, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Unsubscribed; mail already queued still goes out' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Delete a subscription' })
  remove(@CurrentPrincipal() principal: Principal, @Query() query: ScopeQueryDto, @UuidParam('id') id: string) {
    return this.subscriptions.remove(principal, query.scope, id);
  }
}
