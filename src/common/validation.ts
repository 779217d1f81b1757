import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

function fields(errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...fields(e.children ?? [], field)];
  });
}

// A 400 that names every field that is wrong.
export function invalidFields(errors: ValidationError[]): BadRequestException {
  const list = fields(errors);
  return new BadRequestException({
    code: 'VALIDATION',
    message: `Invalid ${list.map((f) => f.field).join(', ')}: ${list.map((f) => f.problems.join('; ')).join(' / ')}`,
    fields: list,
  });
}

export function validationPipe(): ValidationPipe {
  return new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true, exceptionFactory: invalidFields });
}
