import { describe, expect, it } from '@jest/globals'
import { destructiveCommand } from '../../src/gate/destructive.js'

describe('destructiveCommand: every command of docs/design.md section 5, as a shell splits it', () => {
  it.each([
    ['npx prisma migrate reset --force --skip-seed', 'prisma migrate reset', 'drops-database'],
    ['prisma migrate reset', 'prisma migrate reset', 'drops-database'],
    ['pnpm exec prisma db push --force-reset', 'prisma db push --force-reset', 'empties-database'],
    ['bin/rails db:drop', 'rails db:drop', 'drops-database'],
    ['bundle exec rake db:reset', 'rake db:reset', 'drops-database'],
    ['RAILS_ENV=production ./bin/rails db:schema:load', 'rails db:schema:load', 'recreates-tables'],
    ['rails db:setup', 'rails db:setup', 'drops-database'],
    ['flyway -url=$DB clean', 'flyway clean', 'drops-objects'],
    ['dropdb -h db.internal shop', 'dropdb', 'drops-database'],
    ['python manage.py flush --noinput', 'manage.py flush', 'deletes-rows'],
    ['django-admin flush', 'django-admin flush', 'deletes-rows'],
    ['npx sequelize-cli db:drop', 'sequelize-cli db:drop', 'drops-database'],
    ['npx typeorm schema:drop -d ./ds.js', 'typeorm schema:drop', 'drops-tables'],
    ['liquibase --changelog-file=x.xml dropAll', 'liquibase dropAll', 'drops-objects'],
    [
      'psql "$DATABASE_URL" -c "DROP DATABASE shop"',
      'psql -c "DROP DATABASE shop"',
      'drops-database'
    ],
    [
      "psql --command='drop schema public cascade; create schema public'",
      'psql -c "drop schema public cascade; create schema public"',
      'drops-schema'
    ],
    // behind another command, in a pipe, in a subshell, in bash -c
    [
      './deploy.sh rollback && npx prisma migrate reset --force',
      'prisma migrate reset',
      'drops-database'
    ],
    ['echo y | dropdb shop', 'dropdb', 'drops-database'],
    ["bash -c 'cd app; bin/rails db:drop'", 'rails db:drop', 'drops-database'],
    ['sudo -u postgres dropdb shop', 'dropdb', 'drops-database']
  ])('%s → %s', (script, command, destroys) => {
    expect(destructiveCommand(script)).toEqual({ command, destroys })
  })

  it.each([
    'npx prisma migrate deploy',
    'npx prisma migrate resolve --rolled-back 20261201_add',
    'echo dropdb-notes',
    './dropdbx shop',
    'echo "prisma migrate reset is forbidden here"',
    '# dropdb shop',
    'bin/rails db:rollback STEP=1',
    'bundle exec rake db:migrate:down VERSION=42',
    'flyway undo',
    'python manage.py migrate shop 0041',
    'npx sequelize-cli db:migrate:undo',
    'npx typeorm migration:revert -d ./ds.js',
    'liquibase rollback-count 1',
    'psql -c "DROP TABLE IF EXISTS tmp_import"',
    'psql -c "DROP SCHEMA staging_copy"',
    'git log --grep "db:drop"',
    'knex migrate:rollback',
    'alembic downgrade -1',
    'migrate -path db -database "$DB" down 1'
  ])('leaves %s alone', (script) => {
    expect(destructiveCommand(script)).toBeUndefined()
  })
})
