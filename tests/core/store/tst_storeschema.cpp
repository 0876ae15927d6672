// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include "core/store/jobstore.h"
#include "core/store/schema.h"
#include "tests/core/store/rawdatabase.h"
#include "tests/core/store/storetestutil.h"
#include "tests/support/tempdatadir.h"

using namespace brieflow;
using test::RawDatabase;

namespace {

std::unique_ptr<JobStore> openOrNull(const QString &file, JobStore::Mode mode,
                                     const SchemaMigrator &migrator = SchemaMigrator::standard())
{
    auto opened = JobStore::open(file, mode, migrator);
    if (!opened) {
        qWarning().noquote() << opened.error().logText();
        return nullptr;
    }
    return std::move(opened).value();
}

/** The standard migrations plus @p extra, numbered on from them. */
SchemaMigrator standardPlus(const QList<QStringList> &extra)
{
    QList<Migration> migrations = SchemaMigrator::standard().migrations();
    for (const QStringList &statements : extra) {
        migrations << Migration{static_cast<int>(migrations.size()) + 1,
                                QStringLiteral("test migration"), statements};
    }
    return SchemaMigrator(migrations);
}

} // namespace

class TestStoreSchema : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();

    void freshSchemaHasEveryObject_data();
    void freshSchemaHasEveryObject();
    void tablesHaveTheRequiredColumns_data();
    void tablesHaveTheRequiredColumns();
    void writerTurnsOnWal();
    void unsettledQueryUsesThePartialIndex();
    void engineQueriesUseTheirIndexes();
    void eventsAreAppendOnly();
    void reopenKeepsData();
    void migrationsRunInOrder();
    void upgradeKeepsData();
    void version2RenamesStepStatuses();
    void version5GalleryKeepsOutputs();
    void failingMigrationChangesNothing_data();
    void failingMigrationChangesNothing();
    void newerSchemaIsRefusedAndUntouched();
    void damagedFileIsRefusedAndUntouched_data();
    void damagedFileIsRefusedAndUntouched();
    void integrityCheckReportsDamage();
    void directoryAtThePathCannotOpen();
    void folderThatCannotBeCreated();
    void readerRefusesMissingFile();
    void unreadableFileCannotOpen();
    void emptyFileBecomesADatabase();

private:
    std::unique_ptr<test::TempDataDir> m_dir;
    QString m_file;
};

void TestStoreSchema::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    QVERIFY(m_dir->isValid());
    m_file = m_dir->paths().databaseFile();
}

void TestStoreSchema::freshSchemaHasEveryObject_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("name");
    const char *const objects[][2] = {
        {"table", "meta"},
        {"table", "jobs"},
        {"table", "job_steps"},
        {"table", "provider_calls"},
        {"table", "outputs"},
        {"table", "events"},
        {"index", "jobs_status_queue"},
        {"index", "jobs_created"},
        {"index", "jobs_queue"},
        {"index", "jobs_runnable"},
        {"index", "job_steps_job_ordinal"},
        {"index", "provider_calls_step_attempt"},
        {"index", "provider_calls_job"},
        {"index", "provider_calls_prediction"},
        {"index", "provider_calls_unsettled"},
        {"index", "provider_calls_model_done"},
        {"index", "jobs_run_after"},
        {"index", "outputs_job"},
        {"index", "outputs_step"},
        {"index", "outputs_sha256"},
        {"index", "outputs_gallery"},
        {"index", "outputs_job_images"},
        {"index", "outputs_starred"},
        {"index", "outputs_file"},
        {"index", "jobs_product"},
        {"index", "events_job_time"},
        {"index", "events_step"},
        {"trigger", "events_no_update"},
        {"trigger", "events_no_delete"},
        {"index", "jobs_stuck"},
        {"index", "job_steps_retry_requested"},
        {"trigger", "job_steps_stuck_clear_on_status"},
        {"trigger", "provider_calls_stuck_clear_on_insert"},
        {"trigger", "provider_calls_stuck_clear_on_state"},
        {"trigger", "provider_calls_stuck_clear_on_status"},
    };
    for (const auto &object : objects) {
        QTest::addRow("%s %s", object[0], object[1])
            << QString::fromLatin1(object[0]) << QString::fromLatin1(object[1]);
    }
}

void TestStoreSchema::freshSchemaHasEveryObject()
{
    QFETCH(QString, type);
    QFETCH(QString, name);
    {
        auto store = openOrNull(m_file, JobStore::Mode::Writer);
        QVERIFY(store);
        QCOMPARE(store->fileSchemaVersion(), JobStore::schemaVersion);
    }
    RawDatabase raw(m_file);
    QCOMPARE(
        raw.column(QStringLiteral("SELECT type FROM sqlite_master WHERE name = '%1'").arg(name)),
        QStringList{type});
}

void TestStoreSchema::tablesHaveTheRequiredColumns_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QStringList>("columns");
    QTest::newRow("jobs") << QStringLiteral("jobs")
                          << test::strings({"id", "workflow_type", "status", "current_step",
                                            "input_payload", "output_payload", "error_type",
                                            "error_message", "queue_position", "created_at",
                                            "updated_at", "run_after", "stuck_reason",
                                            "stuck_since"});
    QTest::newRow("job_steps") << QStringLiteral("job_steps")
                               << test::strings({"id", "job_id", "step_name", "ordinal", "status",
                                                 "attempt_count", "input_payload", "output_payload",
                                                 "error_type", "error_message", "started_at",
                                                 "completed_at", "stuck_reason", "stuck_since",
                                                 "stuck_threshold_ms", "stuck_snoozed_until",
                                                 "retry_requested_at"});
    QTest::newRow("provider_calls")
        << QStringLiteral("provider_calls") << test::strings({"id",
                                                              "job_id",
                                                              "step_id",
                                                              "attempt",
                                                              "model_ref",
                                                              "input_sha256",
                                                              "prediction_id",
                                                              "state",
                                                              "provider_status",
                                                              "raw_last_response",
                                                              "metrics",
                                                              "created_at",
                                                              "submitted_at",
                                                              "updated_at",
                                                              "completed_at",
                                                              "error_type",
                                                              "error_message",
                                                              "step_name",
                                                              "brief",
                                                              "predict_time",
                                                              "queue_ms",
                                                              "starting_ms",
                                                              "running_ms",
                                                              "total_ms"});
    QTest::newRow("outputs") << QStringLiteral("outputs")
                             << test::strings({"id", "job_id", "step_id", "kind", "file_path",
                                               "sha256", "mime", "width", "height", "bytes",
                                               "source_url", "created_at", "starred"});
    QTest::newRow("events") << QStringLiteral(
        "events") << test::strings({"id", "job_id", "step_id", "time", "kind", "message", "data"});
    QTest::newRow("meta") << QStringLiteral("meta") << test::strings({"key", "value"});
}

void TestStoreSchema::tablesHaveTheRequiredColumns()
{
    QFETCH(QString, table);
    QFETCH(QStringList, columns);
    QVERIFY(openOrNull(m_file, JobStore::Mode::Writer));
    RawDatabase raw(m_file);
    QCOMPARE(raw.column(QStringLiteral("SELECT name FROM pragma_table_info('%1')").arg(table)),
             columns);
}

void TestStoreSchema::writerTurnsOnWal()
{
    auto store = openOrNull(m_file, JobStore::Mode::Writer);
    QVERIFY(store);
    RawDatabase raw(m_file);
    QCOMPARE(raw.column(QStringLiteral("PRAGMA journal_mode")), QStringList{QStringLiteral("wal")});
    QCOMPARE(raw.column(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")),
             QStringList{QString::number(JobStore::schemaVersion)});
}

void TestStoreSchema::unsettledQueryUsesThePartialIndex()
{
    QVERIFY(openOrNull(m_file, JobStore::Mode::Writer));
    RawDatabase raw(m_file);
    const QString plan =
        raw.column(QStringLiteral("EXPLAIN QUERY PLAN SELECT id FROM provider_calls WHERE state "
                                  "IN ('creating', 'submitted', 'unknown') ORDER BY created_at"),
                   3)
            .join(u'\n');
    QVERIFY2(plan.contains(QStringLiteral("provider_calls_unsettled")), qPrintable(plan));
}

void TestStoreSchema::engineQueriesUseTheirIndexes()
{
    QVERIFY(openOrNull(m_file, JobStore::Mode::Writer));
    RawDatabase raw(m_file);
    // The same SQL as JobStore::runnableJobs() and nextRunAfter().
    const QString runnable =
        raw.column(QStringLiteral("EXPLAIN QUERY PLAN SELECT id FROM jobs INDEXED BY jobs_runnable "
                                  "WHERE status IN ('pending', 'processing') AND (run_after IS "
                                  "NULL OR run_after <= 5) ORDER BY queue_position LIMIT 10"),
                   3)
            .join(u'\n');
    QVERIFY2(runnable.contains(QStringLiteral("jobs_runnable")), qPrintable(runnable));
    QVERIFY2(!runnable.contains(QStringLiteral("TEMP B-TREE")), qPrintable(runnable));
    const QString next = raw.column(QStringLiteral("EXPLAIN QUERY PLAN SELECT min(run_after) FROM "
                                                   "jobs WHERE +status IN ('pending', "
                                                   "'processing') AND run_after > 5"),
                                    3)
                             .join(u'\n');
    QVERIFY2(next.contains(QStringLiteral("jobs_run_after")), qPrintable(next));
}

void TestStoreSchema::eventsAreAppendOnly()
{
    JobId jobId;
    {
        auto store = openOrNull(m_file, JobStore::Mode::Writer);
        QVERIFY(store);
        jobId = store->createJob({QStringLiteral("w"), {}, {QStringLiteral("s")}})->id;
    }
    RawDatabase raw(m_file);
    QVERIFY(raw.exec(QStringLiteral("PRAGMA foreign_keys=ON")));
    QVERIFY(!raw.exec(QStringLiteral("UPDATE events SET message = 'changed'")));
    QVERIFY(!raw.exec(QStringLiteral("DELETE FROM events")));
    QCOMPARE(raw.column(QStringLiteral("SELECT count(*) FROM events")), test::strings({"1"}));
    // ...but deleting the job cascades to its events.
    QVERIFY(raw.exec(QStringLiteral("DELETE FROM jobs WHERE id = '%1'").arg(jobId.toString())));
    QCOMPARE(raw.column(QStringLiteral("SELECT count(*) FROM events")), test::strings({"0"}));
}

void TestStoreSchema::reopenKeepsData()
{
    JobRecord job;
    {
        auto store = openOrNull(m_file, JobStore::Mode::Writer);
        QVERIFY(store);
        job =
            store->createJob({QStringLiteral("w"), "{\"k\":\"ü\"}", {QStringLiteral("s")}}).value();
    }
    for (const auto mode : {JobStore::Mode::Writer, JobStore::Mode::Reader}) {
        auto store = openOrNull(m_file, mode);
        QVERIFY(store);
        QCOMPARE(store->fileSchemaVersion(), JobStore::schemaVersion);
        const auto read = store->job(job.id);
        VERIFY_OK(read);
        QVERIFY(read->has_value() && **read == job);
        QCOMPARE(store->steps(job.id)->size(), 1);
    }
}

void TestStoreSchema::migrationsRunInOrder()
{
    // v0 → v1 → v2 in one open: v2 builds on what v1 made.
    const SchemaMigrator migrator({
        Migration{1,
                  QStringLiteral("notes"),
                  {QStringLiteral("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"),
                   QStringLiteral("INSERT INTO notes (text) VALUES ('from v1')")}},
        Migration{2,
                  QStringLiteral("tags"),
                  {QStringLiteral("ALTER TABLE notes ADD COLUMN tag TEXT"),
                   QStringLiteral("UPDATE notes SET tag = 'from v2'")}},
    });
    auto store = openOrNull(m_file, JobStore::Mode::Writer, migrator);
    QVERIFY(store);
    QCOMPARE(store->fileSchemaVersion(), 2);
    RawDatabase raw(m_file);
    QCOMPARE(raw.column(QStringLiteral("SELECT text || '/' || tag FROM notes")),
             QStringList{QStringLiteral("from v1/from v2")});
}

void TestStoreSchema::version5GalleryKeepsOutputs()
{
    // A version-4 file with an image and a text output and a job whose payload isn't JSON (the
    // jobs_product index must not make the migration fail on it).
    const JobId jobId = JobId::generate();
    const OutputId image = OutputId::generate();
    {
        const SchemaMigrator v4(SchemaMigrator::standard().migrations().mid(0, 4));
        auto store = openOrNull(m_file, JobStore::Mode::Writer, v4);
        QVERIFY(store);
        QCOMPARE(store->fileSchemaVersion(), 4);
    }
    {
        RawDatabase raw(m_file);
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO jobs (id, workflow_type, status, "
                                        "input_payload, queue_position, created_at, updated_at) "
                                        "VALUES ('%1', 'w', 'succeeded', '{\"product_name\": "
                                        "\"Old\"}', 1, 0, 0), ('%2', 'w', 'failed', 'not json', "
                                        "2, 0, 0)")
                             .arg(jobId.toString(), JobId::generate().toString())));
        QVERIFY(raw.exec(
            QStringLiteral("INSERT INTO outputs (id, job_id, kind, file_path, "
                           "sha256, mime, created_at) VALUES ('%1', '%2', 'image', "
                           "'/o/a.png', 'a', 'image/png', 5), ('%3', '%2', 'text', "
                           "'/o/t.txt', 't', 'text/plain', 6)")
                .arg(image.toString(), jobId.toString(), OutputId::generate().toString())));
    }
    auto store = openOrNull(m_file, JobStore::Mode::Writer);
    QVERIFY(store);
    QCOMPARE(store->fileSchemaVersion(), JobStore::schemaVersion);
    const auto items = store->galleryImages({});
    VERIFY_OK(items);
    QCOMPARE(items->size(), 1);
    QCOMPARE(items->first().output.id, image);
    QCOMPARE(items->first().starred, false);
    QCOMPARE(items->first().productName, QStringLiteral("Old"));
    QCOMPARE(store->galleryProducts().value(), QStringList{QStringLiteral("Old")});
    GalleryQuery old;
    old.product = QStringLiteral("OLD");
    QCOMPARE(store->countGalleryImages(old).value(), 1);
}

void TestStoreSchema::version2RenamesStepStatuses()
{
    // A version-1 file (written by raw SQL: this build's store writes version-2 rows) with the
    // statuses that version 2 renamed.
    {
        const SchemaMigrator v1({SchemaMigrator::standard().migrations().first()});
        auto store = openOrNull(m_file, JobStore::Mode::Writer, v1);
        QVERIFY(store);
        QCOMPARE(store->fileSchemaVersion(), 1);
    }
    const JobId jobId = JobId::generate();
    {
        RawDatabase raw(m_file);
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO jobs (id, workflow_type, status, "
                                        "queue_position, created_at, updated_at) VALUES "
                                        "('%1', 'w', 'processing', 1, 0, 0)")
                             .arg(jobId.toString())));
        const char *const statuses[] = {"running", "waiting_retry", "pending"};
        for (int i = 0; i < 3; ++i) {
            QVERIFY(
                raw.exec(QStringLiteral("INSERT INTO job_steps (id, job_id, step_name, ordinal, "
                                        "status) VALUES ('%1', '%2', 's%3', %3, '%4')")
                             .arg(StepId::generate().toString(), jobId.toString())
                             .arg(i)
                             .arg(QLatin1String(statuses[i]))));
        }
    }
    auto store = openOrNull(m_file, JobStore::Mode::Writer);
    QVERIFY(store);
    QCOMPARE(store->fileSchemaVersion(), JobStore::schemaVersion);
    const auto steps = store->steps(jobId);
    QVERIFY(steps);
    QCOMPARE(steps->size(), 3);
    QCOMPARE(toString(steps->at(0).status), QStringLiteral("processing"));
    QCOMPARE(toString(steps->at(1).status), QStringLiteral("processing"));
    QCOMPARE(toString(steps->at(2).status), QStringLiteral("pending"));
    const auto read = store->job(jobId);
    QVERIFY(read && *read);
    QVERIFY(!(*read)->runAfter.isValid());
}

void TestStoreSchema::upgradeKeepsData()
{
    JobRecord job;
    {
        auto store = openOrNull(m_file, JobStore::Mode::Writer);
        QVERIFY(store);
        job = store->createJob({QStringLiteral("w"), "{}", {QStringLiteral("s")}}).value();
    }
    const SchemaMigrator v2 = standardPlus(
        {{QStringLiteral("ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 5"),
          QStringLiteral("CREATE INDEX jobs_priority ON jobs (priority)")}});
    {
        auto store = openOrNull(m_file, JobStore::Mode::Writer, v2);
        QVERIFY(store);
        QCOMPARE(store->fileSchemaVersion(), JobStore::schemaVersion + 1);
        QVERIFY(store->job(job.id)->has_value());
        VERIFY_OK(store->createJob({QStringLiteral("w"), {}, {}}));
    }
    RawDatabase raw(m_file);
    QCOMPARE(raw.column(QStringLiteral("SELECT priority FROM jobs ORDER BY id")),
             (test::strings({"5", "5"})));
    // This build must now refuse the file.
    const auto old = JobStore::open(m_file, JobStore::Mode::Writer);
    QVERIFY(!old);
    COMPARE_ENUM(old.error().kind, StoreError::Kind::NewerSchema);
}

void TestStoreSchema::failingMigrationChangesNothing_data()
{
    QTest::addColumn<QList<QStringList>>("extra");
    const QStringList good{QStringLiteral("ALTER TABLE jobs ADD COLUMN priority INTEGER"),
                           QStringLiteral("CREATE TABLE extra (x)"),
                           QStringLiteral("INSERT INTO extra VALUES (1)")};
    const QString bad = QStringLiteral("INSERT INTO no_such_table VALUES (1)");
    QTest::newRow("first statement fails") << QList<QStringList>{{bad}};
    QTest::newRow("fails halfway through a migration")
        << QList<QStringList>{{good.at(0), good.at(1), good.at(2), bad, good.at(2)}};
    QTest::newRow("second of two migrations fails")
        << QList<QStringList>{good, {QStringLiteral("DELETE FROM jobs"), bad}};
    QTest::newRow("constraint violation halfway")
        << QList<QStringList>{{QStringLiteral("DELETE FROM job_steps"),
                               QStringLiteral("INSERT INTO job_steps (id) VALUES ('x')")}};
}

void TestStoreSchema::failingMigrationChangesNothing()
{
    QFETCH(QList<QStringList>, extra);
    JobRecord job;
    {
        auto store = openOrNull(m_file, JobStore::Mode::Writer);
        QVERIFY(store);
        job = store->createJob({QStringLiteral("w"), "{\"a\":1}", {QStringLiteral("s")}}).value();
    }
    const QString schemaBefore = RawDatabase(m_file)
                                     .column(QStringLiteral("SELECT sql FROM sqlite_master "
                                                            "ORDER BY name"))
                                     .join(u'\n');

    const SchemaMigrator failing = standardPlus(extra);
    const auto opened = JobStore::open(m_file, JobStore::Mode::Writer, failing);
    QVERIFY(!opened);
    const StoreError &error = opened.error();
    COMPARE_ENUM(error.kind, StoreError::Kind::MigrationFailed);
    QVERIFY2(error.message.contains(m_file), qPrintable(error.message));
    QVERIFY2(error.message.contains(QStringLiteral("from schema version %1 to %2")
                                        .arg(JobStore::schemaVersion)
                                        .arg(failing.targetVersion())),
             qPrintable(error.message));
    QVERIFY(!error.detail.isEmpty());

    {
        RawDatabase raw(m_file);
        QCOMPARE(
            raw.column(QStringLiteral("SELECT sql FROM sqlite_master ORDER BY name")).join(u'\n'),
            schemaBefore);
        QCOMPARE(raw.column(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")),
                 QStringList{QString::number(JobStore::schemaVersion)});
    }
    auto store = openOrNull(m_file, JobStore::Mode::Writer);
    QVERIFY(store);
    QCOMPARE(store->fileSchemaVersion(), JobStore::schemaVersion);
    const auto read = store->job(job.id);
    VERIFY_OK(read);
    QVERIFY(read->has_value() && **read == job);
    QCOMPARE(store->steps(job.id)->size(), 1);
}

void TestStoreSchema::newerSchemaIsRefusedAndUntouched()
{
    {
        auto store = openOrNull(m_file, JobStore::Mode::Writer);
        QVERIFY(store);
        VERIFY_OK(store->createJob({QStringLiteral("w"), {}, {QStringLiteral("s")}}));
    }
    {
        RawDatabase raw(m_file);
        QVERIFY(raw.exec(QStringLiteral("UPDATE meta SET value = '%1' WHERE key = 'schema_version'")
                             .arg(JobStore::schemaVersion + 1)));
    }
    const QByteArray before = test::fileSha256(m_file);
    QVERIFY(!before.isEmpty());

    for (const auto mode : {JobStore::Mode::Writer, JobStore::Mode::Reader}) {
        const auto opened = JobStore::open(m_file, mode);
        QVERIFY(!opened);
        const StoreError &error = opened.error();
        COMPARE_ENUM(error.kind, StoreError::Kind::NewerSchema);
        QCOMPARE(error.file, m_file);
        QVERIFY2(error.message.contains(m_file), qPrintable(error.message));
        QVERIFY2(error.message.contains(
                     QStringLiteral("schema version %1").arg(JobStore::schemaVersion + 1)),
                 qPrintable(error.message));
        QVERIFY2(error.message.contains(QStringLiteral("up to %1").arg(JobStore::schemaVersion)),
                 qPrintable(error.message));
        QCOMPARE(test::fileSha256(m_file), before);
    }
}

void TestStoreSchema::damagedFileIsRefusedAndUntouched_data()
{
    QTest::addColumn<QByteArray>("content");

    QByteArray random(64 * 1024, '\0');
    QRandomGenerator generator(20260101);
    for (char &c : random)
        c = static_cast<char>(generator.bounded(256));
    QTest::newRow("random bytes") << random;
    QTest::newRow("text file")
        << QByteArray("Dear Brieflow,\nthis is not a database.\n").repeated(50);
    QTest::newRow("sqlite header, then random bytes")
        << QByteArray("SQLite format 3\0", 16) + random.mid(16);

    // A real database, cut in half.
    test::TempDataDir other;
    const QString real = other.paths().databaseFile();
    {
        auto store = openOrNull(real, JobStore::Mode::Writer);
        QVERIFY(store);
        auto batch = store->beginBatch();
        for (int i = 0; i < 300; ++i) {
            (void)store->createJob({QStringLiteral("w"),
                                    QByteArray(500, 'p'),
                                    {QStringLiteral("a"), QStringLiteral("b")}});
        }
        QVERIFY(batch->commit().ok());
    }
    QFile file(real);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray whole = file.readAll();
    QVERIFY(whole.size() > 100 * 1024);
    QTest::newRow("truncated real database") << whole.left(whole.size() / 2);
    QTest::newRow("real database, first page only") << whole.left(4096);
    QByteArray holed = whole;
    holed.replace(whole.size() / 2, 8192, QByteArray(8192, '\xff'));
    QTest::newRow("real database with two pages overwritten") << holed;

    // A healthy SQLite database that isn't ours.
    const QString foreign = other.filePath(QStringLiteral("foreign.sqlite"));
    {
        RawDatabase raw(foreign);
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url)")));
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO moz_places (url) VALUES ('https://x')")));
    }
    QFile foreignFile(foreign);
    QVERIFY(foreignFile.open(QIODevice::ReadOnly));
    QTest::newRow("another program's database") << foreignFile.readAll();
}

void TestStoreSchema::damagedFileIsRefusedAndUntouched()
{
    QFETCH(QByteArray, content);
    QVERIFY(QDir().mkpath(QFileInfo(m_file).absolutePath()));
    {
        QFile file(m_file);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(content), content.size());
    }
    const QByteArray before = test::fileSha256(m_file);

    const auto opened = JobStore::open(m_file, JobStore::Mode::Writer);
    QVERIFY(!opened);
    const StoreError &error = opened.error();
    COMPARE_ENUM(error.kind, StoreError::Kind::Corrupt);
    QCOMPARE(error.file, m_file);
    QVERIFY2(error.message.contains(m_file), qPrintable(error.message));
    QVERIFY2(error.message.contains(QStringLiteral("move it aside")), qPrintable(error.message));
    QVERIFY(QFile::exists(m_file));
    QCOMPARE(test::fileSha256(m_file), before);

    // A reader may or may not notice at open time (it doesn't scan the file); either way it must
    // not change a byte.
    const auto reader = JobStore::open(m_file, JobStore::Mode::Reader);
    if (reader)
        (void)reader.value()->jobs({});
    QCOMPARE(test::fileSha256(m_file), before);
}

void TestStoreSchema::integrityCheckReportsDamage()
{
    {
        auto store = openOrNull(m_file, JobStore::Mode::Writer);
        QVERIFY(store);
        for (int i = 0; i < 20; ++i)
            VERIFY_OK(store->createJob({QStringLiteral("w"), {}, {}}));
        VERIFY_OK(store->integrityCheck());
    }
    {
        // Make an index disagree with its table: quick_check doesn't compare them, the full
        // integrity_check does.
        RawDatabase raw(m_file);
        QVERIFY(raw.exec(QStringLiteral("PRAGMA writable_schema=ON")));
        QVERIFY(raw.exec(QStringLiteral("UPDATE sqlite_master SET sql = 'CREATE INDEX jobs_created "
                                        "ON jobs (updated_at DESC)' WHERE name = 'jobs_created'")));
    }
    auto store = openOrNull(m_file, JobStore::Mode::Writer);
    QVERIFY(store);
    const auto checked = store->integrityCheck();
    QVERIFY(!checked);
    COMPARE_ENUM(checked.error().kind, StoreError::Kind::Corrupt);
    QVERIFY2(checked.error().detail.contains(QStringLiteral("jobs_created")),
             qPrintable(checked.error().detail));
    QVERIFY(checked.error().message.contains(m_file));
}

void TestStoreSchema::directoryAtThePathCannotOpen()
{
    QVERIFY(QDir().mkpath(m_file));
    for (const auto mode : {JobStore::Mode::Writer, JobStore::Mode::Reader}) {
        const auto opened = JobStore::open(m_file, mode);
        QVERIFY(!opened);
        COMPARE_ENUM(opened.error().kind, StoreError::Kind::CannotOpen);
        QVERIFY2(opened.error().message.contains(m_file), qPrintable(opened.error().message));
        QVERIFY(QFileInfo(m_file).isDir());
    }
}

void TestStoreSchema::folderThatCannotBeCreated()
{
    const QString blocker = m_dir->filePath(QStringLiteral("a-file"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    const QString file = blocker + QStringLiteral("/sub/brieflow.sqlite3");
    const auto opened = JobStore::open(file, JobStore::Mode::Writer);
    QVERIFY(!opened);
    COMPARE_ENUM(opened.error().kind, StoreError::Kind::CannotOpen);
    QVERIFY2(opened.error().message.contains(blocker + QStringLiteral("/sub")),
             qPrintable(opened.error().message));
}

void TestStoreSchema::readerRefusesMissingFile()
{
    const auto opened = JobStore::open(m_file, JobStore::Mode::Reader);
    QVERIFY(!opened);
    COMPARE_ENUM(opened.error().kind, StoreError::Kind::CannotOpen);
    QVERIFY(opened.error().message.contains(m_file));
    QVERIFY(!QFile::exists(m_file));
}

void TestStoreSchema::unreadableFileCannotOpen()
{
    QVERIFY(openOrNull(m_file, JobStore::Mode::Writer));
    QFile file(m_file);
    QVERIFY(file.setPermissions(QFileDevice::Permissions()));
    const auto restore =
        qScopeGuard([&] { file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner); });
    if (QFile(m_file).open(QIODevice::ReadOnly))
        QSKIP("running with privileges that ignore file permissions (root?)");
    const auto opened = JobStore::open(m_file, JobStore::Mode::Writer);
    QVERIFY(!opened);
    COMPARE_ENUM(opened.error().kind, StoreError::Kind::CannotOpen);
    QVERIFY(opened.error().message.contains(m_file));
    QVERIFY(QFile::exists(m_file));
}

void TestStoreSchema::emptyFileBecomesADatabase()
{
    QVERIFY(QDir().mkpath(QFileInfo(m_file).absolutePath()));
    {
        QFile file(m_file);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    auto store = openOrNull(m_file, JobStore::Mode::Writer);
    QVERIFY(store);
    QCOMPARE(store->fileSchemaVersion(), JobStore::schemaVersion);
    VERIFY_OK(store->createJob({QStringLiteral("w"), {}, {}}));
}

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "tst_storeschema.moc"
