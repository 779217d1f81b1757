import { Controller, HttpCode, Param, Post, type RawBodyRequest, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../auth/roles.decorator.js';
import { WebhookDelivery, WebhookReceipt, WebhookSourceParam } from './webhook-delivery.dto.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  // Public: the caller proves itself with the signature over the body, not with a bearer token.
  // The body is validated in the service, after the signature, so @Body() is not used.
  @Post(':sourceId')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'Take in a post from a system that calls Paradox (a survey tool, a feedback button), signed with the source\'s shared secret' })
  @ApiHeader({ name: 'X-Paradox-Timestamp', required: true, description: 'Unix seconds when signed; refused when more than toleranceSeconds from now, either way' })
  @ApiHeader({ name: 'X-Paradox-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 with the shared secret over "<timestamp>.<raw body>">' })
  @ApiBody({ type: WebhookDelivery })
  @ApiResponse({ status: 202, type: WebhookReceipt, description: 'Stored and analysed; caseId when it opened or joined a case' })
  @ApiResponse({ status: 200, type: WebhookReceipt, description: 'A delivery with this id was stored before: nothing new stored' })
  @ApiResponse({ status: 400, description: 'VALIDATION: the fields that are wrong' })
  @ApiResponse({ status: 401, description: 'WEBHOOK.UNSIGNED, WEBHOOK.BAD_SIGNATURE or WEBHOOK.STALE: nothing stored' })
  @ApiResponse({ status: 404, description: 'WEBHOOK.SOURCE_NOT_FOUND' })
  @ApiResponse({ status: 413, description: 'The body is larger than 100 kB' })
  @ApiResponse({ status: 415, description: 'WEBHOOK.CONTENT_TYPE: not application/json' })
  async receive(@Param() { sourceId }: WebhookSourceParam, @Req() request: RawBodyRequest<Request>, @Res({ passthrough: true }) response: Response) {
    const receipt = await this.webhooks.receive(sourceId, {
      contentType: request.headers['content-type'],
      timestamp: request.header('x-paradox-timestamp'),
      signature: request.header('x-paradox-signature'),
      rawBody: request.rawBody,
      body: request.body,
    });
    if (receipt.duplicate) response.status(200);
    return receipt;
  }
}
