import { Injectable } from '@nestjs/common';
import { DirectoryServiceRequests, GetServiceRequest, ServiceSummary } from '@nwd/contracts';
import { OnRequest } from '@nwd/messaging';
import { ListingsService } from './listings.service';

/** Lets the referral service check a `receivingServiceId` (exists, who maintains it, capacity) without reading our tables. */
@Injectable()
export class ListingsResponder {
  constructor(private readonly listings: ListingsService) {}

  @OnRequest(DirectoryServiceRequests.getService)
  getService(request: GetServiceRequest): Promise<ServiceSummary> {
    return this.listings.summary(request.serviceId);
  }
}
