export * from './api-problems.decorator';
export * from './openapi-document';
export * from './problem-details.dto';
