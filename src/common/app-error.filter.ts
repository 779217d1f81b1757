import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from './app-error.js';

@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(AppErrorFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof AppError) {
      response.set(error.headers).status(error.status).json({ code: error.code, message: error.message, ...error.details });
      return;
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      response.status(error.getStatus()).json(typeof body === 'string' ? { message: body } : body);
      return;
    }
    // Unknown failures say nothing of their internals to the caller.
    this.logger.error(error instanceof Error ? error.stack : String(error));
    response.status(500).json({ code: 'INTERNAL', message: 'Internal server error' });
  }
}
