import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Principal } from '@nwd/auth';
import { Clock } from '@nwd/clock';
import { DomainError } from '@nwd/errors';
import { NotificationsConfig } from '../notifications.config';
import { NotificationOwner, NotificationScope } from '../recipients/notification-owner';
import { CreateSubscriptionDto, UpdateSubscriptionDto } from './dto/subscription.dto';
import { SubscriptionListResponse, SubscriptionResponse } from './dto/subscription.response';
import { subscriptionFrom } from './subscription-rules';
import { SubscriptionsRepository } from './subscriptions.repository';

@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly clock: Clock,
    private readonly config: NotificationsConfig,
  ) {}

  async create(principal: Principal, scope: NotificationScope | undefined, input: CreateSubscriptionDto): Promise<SubscriptionResponse> {
    const owner = NotificationOwner.of(principal, scope);
    const subscription = subscriptionFrom(undefined, input, this.context(owner));
    await this.subscriptions.insert(subscription);
    return SubscriptionResponse.of(subscription);
  }

  async list(principal: Principal, scope: NotificationScope | undefined): Promise<SubscriptionListResponse> {
    const owner = NotificationOwner.of(principal, scope);
    return { data: (await this.subscriptions.list(owner)).map(SubscriptionResponse.of) };
  }

  async read(principal: Principal, scope: NotificationScope | undefined, id: string): Promise<SubscriptionResponse> {
    const owner = NotificationOwner.of(principal, scope);
    return SubscriptionResponse.of(await this.existing(owner, id));
  }

  async update(principal: Principal, scope: NotificationScope | undefined, id: string, input: UpdateSubscriptionDto): Promise<SubscriptionResponse> {
    const owner = NotificationOwner.of(principal, scope);
    const changed = subscriptionFrom(await this.existing(owner, id), input, this.context(owner));
    await this.subscriptions.save(owner, changed);
    return SubscriptionResponse.of(changed);
  }

  async remove(principal: Principal, scope: NotificationScope | undefined, id: string): Promise<void> {
    const owner = NotificationOwner.of(principal, scope);
    if (!(await this.subscriptions.delete(owner, id))) throw this.notFound();
  }

  private async existing(owner: NotificationOwner, id: string) {
    const subscription = await this.subscriptions.find(owner, id);
    if (!subscription) throw this.notFound();
    return subscription;
  }

  private notFound(): DomainError {
    return DomainError.notFound('notifications.subscription-not-found', 'No such subscription of the caller');
  }

  private context(owner: NotificationOwner) {
    return { id: uuidv7(), owner, now: this.clock.now(), defaultDigestTime: this.config.NWD_DIGEST_TIME };
  }
}
