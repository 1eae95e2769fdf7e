import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@nwd/auth';
import { ApiProblems, UuidParam } from '@nwd/http';
import { ScopeQueryDto } from '../subscriptions/dto/subscription.dto';
import { ListNotificationsQueryDto, MarkAllReadDto } from './dto/inbox.dto';
import { MarkedReadResponse, NotificationPageResponse, NotificationResponse, UnreadCountResponse } from './dto/inbox.response';
import { InboxService } from './inbox.service';

@ApiTags('in-app notifications')
@Controller('v1/notifications')
@Roles('staff', 'org-admin', 'network-admin', 'system')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOkResponse({ type: NotificationPageResponse, description: 'The organization’s (or with scope=network the network’s) notifications, newest first' })
  @ApiOperation({ summary: 'List in-app notifications' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListNotificationsQueryDto) {
    return this.inbox.list(principal, query);
  }

  @Get('unread-count')
  @ApiOkResponse({ type: UnreadCountResponse })
  @ApiOperation({ summary: 'How many notifications are unread' })
  unreadCount(@CurrentPrincipal() principal: Principal, @Query() query: ScopeQueryDto) {
    return this.inbox.unreadCount(principal, query.scope);
  }

  @Post('read')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkedReadResponse })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Mark every notification read, or those up to one' })
  markAllRead(@CurrentPrincipal() principal: Principal, @Query() query: ScopeQueryDto, @Body() body: MarkAllReadDto) {
    return this.inbox.markAllRead(principal, query.scope, body);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationResponse, description: 'The notification, read' })
  @ApiProblems(404)
  @ApiOperation({ summary: 'Mark one notification read' })
  markRead(@CurrentPrincipal() principal: Principal, @Query() query: ScopeQueryDto, @UuidParam('id') id: string) {
    return this.inbox.markRead(principal, query.scope, id);
  }
}
