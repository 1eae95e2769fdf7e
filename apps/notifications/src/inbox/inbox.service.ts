import { Injectable } from '@nestjs/common';
import { Principal } from '@nwd/auth';
import { Clock } from '@nwd/clock';
import { DomainError } from '@nwd/errors';
import { NotificationOwner, NotificationScope } from '../recipients/notification-owner';
import { ListNotificationsQueryDto, MarkAllReadDto } from './dto/inbox.dto';
import { MarkedReadResponse, NotificationPageResponse, NotificationResponse, UnreadCountResponse } from './dto/inbox.response';
import { InboxCursor } from './inbox-cursor';
import { InboxRepository } from './inbox.repository';

@Injectable()
export class InboxService {
  constructor(
    private readonly inbox: InboxRepository,
    private readonly clock: Clock,
  ) {}

  async list(principal: Principal, query: ListNotificationsQueryDto): Promise<NotificationPageResponse> {
    const owner = NotificationOwner.of(principal, query.scope);
    const limit = query.limit ?? 25;
    const before = query.cursor ? InboxCursor.decode(query.cursor) : undefined;
    const rows = await this.inbox.page(owner, { limit: limit + 1, before, unreadOnly: query.unread ?? false });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page.map(NotificationResponse.of), nextCursor: rows.length > limit && last ? InboxCursor.encode(last) : null };
  }

  async unreadCount(principal: Principal, scope: NotificationScope | undefined): Promise<UnreadCountResponse> {
    return { unread: await this.inbox.unreadCount(NotificationOwner.of(principal, scope)) };
  }

  async markRead(principal: Principal, scope: NotificationScope | undefined, id: string): Promise<NotificationResponse> {
    const read = await this.inbox.markRead(NotificationOwner.of(principal, scope), id, this.clock.now());
    if (!read) throw this.notFound();
    return NotificationResponse.of(read);
  }

  async markAllRead(principal: Principal, scope: NotificationScope | undefined, body: MarkAllReadDto): Promise<MarkedReadResponse> {
    const owner = NotificationOwner.of(principal, scope);
    let upTo;
    if (body.upTo) {
      upTo = await this.inbox.find(owner, body.upTo);
      if (!upTo) throw this.notFound();
    }
    return { marked: await this.inbox.markAllRead(owner, upTo, this.clock.now()) };
  }

  private notFound(): DomainError {
    return DomainError.notFound('notifications.notification-not-found', 'No such notification in the caller’s inbox');
  }
}
