// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// JobStore: the gallery of images: listing and counting with filters, the filters' choices,
// stars, and deleting images.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "core/store/columns.h"
#include "core/store/connection.h"
#include "core/store/rows.h"
#include "core/store/sqlhelpers.h"
#include "jobstore.h"

namespace brieflow {

using namespace db;

namespace {

// Word for word the WHERE clause of the partial indexes outputs_gallery and
// outputs_job_images (schema version 5): SQLite uses a partial index only when the query
// repeats its condition.
const QString isImage = QStringLiteral("o.mime LIKE 'image/%'");

// The brief's product name: the expression of the index jobs_product (a payload that isn't JSON
// must not make the query fail).
const QString productOfJob = QStringLiteral(
    "(CASE WHEN json_valid(j.input_payload) THEN json_extract(j.input_payload, '$.product_name')"
    " END)");

// The model of the step that made the image: its succeeded call (the last, should a step ever
// have two).
const QString modelOfOutput =
    QStringLiteral("(SELECT c.model_ref FROM provider_calls c WHERE c.step_id = o.step_id"
                   " AND c.state = 'succeeded' ORDER BY c.attempt DESC LIMIT 1)");

// 1-based rank of the image among its job's images by (created_at, id): an index range of
// outputs_job_images.
const QString indexInJob = QStringLiteral(
    "(SELECT count(*) FROM outputs o2 WHERE o2.job_id = o.job_id"
    " AND o2.mime LIKE 'image/%' AND (o2.created_at, o2.id) <= (o.created_at, o.id))");

// The text of a concept or image-prompt step's output {"text": ...}.
const QString stepText = QStringLiteral(
    "(CASE WHEN json_valid(s.output_payload) THEN json_extract(s.output_payload, '$.text') END)");

/** Whether the query's filters read the jobs table. */
bool needsJob(const GalleryQuery &query)
{
    return !query.product.isEmpty() || query.status.has_value();
}

/** " WHERE ..." for @p query over outputs o (and jobs j), with its binds. */
QString galleryWhere(const GalleryQuery &query, Binds &binds)
{
    QStringList where{isImage};
    if (!query.text.isEmpty()) {
        // A placeholder per use: one name bound twice is not portable across QtSql drivers.
        const QString pattern = containsPattern(query.text);
        // Decided once per job (a non-correlated IN list), not once per image.
        where << QStringLiteral("o.job_id IN (SELECT tj.id FROM jobs tj WHERE tj.input_payload"
                                " LIKE :text_brief ESCAPE '\\' OR tj.id IN (SELECT s.job_id FROM"
                                " job_steps s WHERE s.step_name IN ('concept', 'image_prompt')"
                                " AND ")
                     + stepText + QStringLiteral(" LIKE :text_step ESCAPE '\\'))");
        binds.append({QStringLiteral(":text_brief"), pattern});
        binds.append({QStringLiteral(":text_step"), pattern});
    }
    if (!query.product.isEmpty()) {
        where << productOfJob + QStringLiteral(" = :product COLLATE NOCASE");
        binds.append({QStringLiteral(":product"), query.product});
    }
    if (!query.model.isEmpty()) {
        where << modelOfOutput + QStringLiteral(" = :model");
        binds.append({QStringLiteral(":model"), query.model});
    }
    if (query.from.isValid()) {
        where << QStringLiteral("o.created_at >= :from");
        binds.append({QStringLiteral(":from"), query.from.toMSecsSinceEpoch()});
    }
    if (query.to.isValid()) {
        where << QStringLiteral("o.created_at < :to");
        binds.append({QStringLiteral(":to"), query.to.toMSecsSinceEpoch()});
    }
    if (query.status) {
        where << QStringLiteral("j.status = :status");
        binds.append({QStringLiteral(":status"), toString(*query.status)});
    }
    if (query.starredOnly)
        where << QStringLiteral("o.starred = 1");
    return QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
}

// Columns after the output's own, in the order readGalleryItem() reads them.
enum Extra : int {
    JobStatusColumn = outputs::ColumnCount,
    ProductColumn,
    ModelColumn,
    StarredColumn,
    IndexInJobColumn,
};

Result<GalleryItem, QString> readGalleryItem(const QSqlQuery &q)
{
    const auto status = jobStatusFromString(q.value(JobStatusColumn).toString());
    if (!status) {
        return fail(QStringLiteral("unknown jobs.status value '%1' for output %2")
                        .arg(q.value(JobStatusColumn).toString(), q.value(outputs::Id).toString()));
    }
    GalleryItem item;
    item.output = readOutput(q);
    item.jobStatus = *status;
    item.productName = q.value(ProductColumn).toString();
    item.modelRef = q.value(ModelColumn).toString();
    item.starred = q.value(StarredColumn).toInt() != 0;
    item.indexInJob = q.value(IndexInJobColumn).toInt();
    return item;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

/** The deleted rows as the store knows them before they go. */
struct Deleted {
    OutputId id;
    JobId job;
    StepId step;
    QString filePath;
    QString sha256;
};

/**
 * @p payload ({"images": [...], ...}) without the entries of @p gone: an entry naming one of
 * their output ids goes; an entry without an id (the job's summary lists path and sha256 only)
 * goes once per deleted row with the same path and sha256. Empty when nothing changed.
 */
QByteArray withoutImages(const QByteArray &payload, const QList<Deleted> &gone)
{
    if (payload.isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return {};
    QJsonObject object = doc.object();
    const QJsonValue images = object.value(QStringLiteral("images"));
    if (!images.isArray())
        return {};
    QSet<QString> ids;
    QList<std::pair<QString, QString>> files; // (path, sha256) of rows not matched by id yet
    for (const Deleted &d : gone) {
        ids.insert(d.id.toString());
        files.append({d.filePath, d.sha256});
    }
    // First the entries that carry an output id, so that an anonymous entry is matched only
    // by rows that no entry named.
    const QJsonArray before = images.toArray();
    for (const QJsonValue &v : before) {
        const QString id = v.toObject().value(QStringLiteral("output_id")).toString();
        if (!id.isEmpty() && ids.contains(id)) {
            for (const Deleted &d : gone) {
                if (d.id.toString() == id)
                    files.removeOne({d.filePath, d.sha256});
            }
        }
    }
    QJsonArray after;
    for (const QJsonValue &v : before) {
        const QJsonObject entry = v.toObject();
        const QString id = entry.value(QStringLiteral("output_id")).toString();
        if (!id.isEmpty()) {
            if (!ids.contains(id))
                after.append(v);
            continue;
        }
        const std::pair<QString, QString> file{entry.value(QStringLiteral("path")).toString(),
                                               entry.value(QStringLiteral("sha256")).toString()};
        if (!files.removeOne(file))
            after.append(v);
    }
    if (after.size() == before.size())
        return {};
    object.insert(QStringLiteral("images"), after);
    return compact(object);
}

/** The SELECT of galleryImages(); its binds include the page. */
QString galleryListSql(const GalleryQuery &query, Binds &binds)
{
    QString sql = QStringLiteral("SELECT ") + columnList(outputs::columns, "o")
                  + QStringLiteral(", j.status, ") + productOfJob + QStringLiteral(", ")
                  + modelOfOutput + QStringLiteral(", o.starred, ") + indexInJob
                  + QStringLiteral(" FROM outputs o JOIN jobs j ON j.id = o.job_id")
                  + galleryWhere(query, binds)
                  + QStringLiteral(" ORDER BY o.created_at DESC, o.id DESC"
                                   " LIMIT :limit OFFSET :offset");
    binds.append({QStringLiteral(":limit"), query.limit > 0 ? query.limit : -1});
    binds.append({QStringLiteral(":offset"), qMax(query.offset, 0)});
    return sql;
}

/** The SELECT of countGalleryImages(). */
QString galleryCountSql(const GalleryQuery &query, Binds &binds)
{
    // Without a filter on the job, the count is an index walk of outputs_gallery alone.
    return QStringLiteral("SELECT count(*) FROM outputs o")
           + (needsJob(query) ? QStringLiteral(" JOIN jobs j ON j.id = o.job_id") : QString())
           + galleryWhere(query, binds);
}

} // namespace

Result<QList<GalleryItem>, StoreError> JobStore::galleryImages(const GalleryQuery &query) const
{
    assertOwnerThread();
    Binds binds;
    const QString sql = galleryListSql(query, binds);
    return selectRows(*m_db, sql, binds, readGalleryItem);
}

Result<int, StoreError> JobStore::countGalleryImages(const GalleryQuery &query) const
{
    assertOwnerThread();
    Binds binds;
    const QString sql = galleryCountSql(query, binds);
    const auto value = selectValue(*m_db, sql, binds);
    if (!value)
        return fail(value.error());
    return value->toInt();
}

Result<QStringList, StoreError> JobStore::galleryQueryPlan(const GalleryQuery &query,
                                                           GalleryStatement statement) const
{
    assertOwnerThread();
    Binds binds;
    const QString sql = statement == GalleryStatement::List ? galleryListSql(query, binds)
                                                            : galleryCountSql(query, binds);
    return selectRows(*m_db, QStringLiteral("EXPLAIN QUERY PLAN ") + sql, binds,
                      [](const QSqlQuery &q) { return q.value(3).toString(); });
}

Result<QStringList, StoreError> JobStore::galleryProducts() const
{
    assertOwnerThread();
    // One spelling per name as the filter matches them (case-insensitively).
    return selectRows(
        *m_db,
        QStringLiteral("SELECT min(p) FROM (SELECT ") + productOfJob
            + QStringLiteral(" AS p FROM jobs j WHERE EXISTS (SELECT 1 FROM outputs o"
                             " WHERE o.job_id = j.id AND ")
            + isImage
            + QStringLiteral(")) WHERE p IS NOT NULL AND p <> '' GROUP BY p COLLATE NOCASE"
                             " ORDER BY 1 COLLATE NOCASE"),
        {}, [](const QSqlQuery &q) { return q.value(0).toString(); });
}

Result<QStringList, StoreError> JobStore::galleryModels() const
{
    assertOwnerThread();
    return selectRows(*m_db,
                      QStringLiteral("SELECT DISTINCT c.model_ref FROM provider_calls c"
                                     " WHERE c.state = 'succeeded' AND EXISTS (SELECT 1 FROM"
                                     " outputs o WHERE o.step_id = c.step_id AND ")
                          + isImage + QStringLiteral(") ORDER BY c.model_ref"),
                      {}, [](const QSqlQuery &q) { return q.value(0).toString(); });
}

Result<void, StoreError> JobStore::setOutputsStarred(const QList<OutputId> &ids, bool starred)
{
    assertOwnerThread();
    if (ids.isEmpty())
        return {};
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const auto changed = write(
        *m_db, QStringLiteral("UPDATE outputs SET starred = :starred WHERE id") + inIds,
        {{QStringLiteral(":starred"), starred ? 1 : 0}, {QStringLiteral(":ids"), idArray(ids)}});
    if (!changed)
        return fail(changed.error());
    return tx->commit();
}

Result<QStringList, StoreError> JobStore::deleteOutputs(const QList<OutputId> &ids)
{
    assertOwnerThread();
    if (ids.isEmpty())
        return QStringList();
    auto tx = WriteTransaction::begin(*m_db);
    if (!tx)
        return fail(tx.error());
    const Binds idBinds{{QStringLiteral(":ids"), idArray(ids)}};
    const auto rows = selectRows(
        *m_db,
        QStringLiteral("SELECT id, job_id, step_id, file_path, sha256 FROM outputs WHERE id")
            + inIds + QStringLiteral(" ORDER BY job_id, created_at, id"),
        idBinds, [](const QSqlQuery &q) {
            return Deleted{OutputId(q.value(0).toString()), JobId(q.value(1).toString()),
                           StepId(q.value(2).toString()), q.value(3).toString(),
                           q.value(4).toString()};
        });
    if (!rows)
        return fail(rows.error());
    if (rows->isEmpty()) {
        // Commit, not roll back: inside a caller's batch a rollback would undo all of it.
        if (auto committed = tx->commit(); !committed)
            return fail(committed.error());
        return QStringList();
    }
    const auto removed =
        write(*m_db, QStringLiteral("DELETE FROM outputs WHERE id") + inIds, idBinds);
    if (!removed)
        return fail(removed.error());

    // Per job (rows are ordered by job) and per step: payloads without the deleted entries.
    QList<JobId> jobs;
    QHash<JobId, QList<Deleted>> byJob;
    QHash<StepId, QList<Deleted>> byStep;
    for (const Deleted &d : *rows) {
        if (!byJob.contains(d.job))
            jobs << d.job;
        byJob[d.job] << d;
        if (!d.step.isNull())
            byStep[d.step] << d;
    }
    for (auto it = byStep.cbegin(); it != byStep.cend(); ++it) {
        const auto payload = selectValue(
            *m_db, QStringLiteral("SELECT output_payload FROM job_steps WHERE id = :id"),
            {{QStringLiteral(":id"), it.key().toString()}});
        if (!payload)
            return fail(payload.error());
        const QByteArray changed = withoutImages(jsonFrom(*payload), it.value());
        if (changed.isEmpty())
            continue;
        const auto written = write(
            *m_db, QStringLiteral("UPDATE job_steps SET output_payload = :payload WHERE id = :id"),
            {{QStringLiteral(":payload"), jsonValue(changed)},
             {QStringLiteral(":id"), it.key().toString()}});
        if (!written)
            return fail(written.error());
    }
    const QVariant now = timeValue(QDateTime::currentDateTimeUtc());
    for (const JobId &job : std::as_const(jobs)) {
        const QList<Deleted> &gone = byJob.value(job);
        const auto payload =
            selectValue(*m_db, QStringLiteral("SELECT output_payload FROM jobs WHERE id = :id"),
                        {{QStringLiteral(":id"), job.toString()}});
        if (!payload)
            return fail(payload.error());
        const QByteArray changed = withoutImages(jsonFrom(*payload), gone);
        const auto written =
            changed.isEmpty()
                ? write(*m_db, QStringLiteral("UPDATE jobs SET updated_at = :now WHERE id = :id"),
                        {{QStringLiteral(":now"), now}, {QStringLiteral(":id"), job.toString()}})
                : write(*m_db,
                        QStringLiteral("UPDATE jobs SET output_payload = :payload,"
                                       " updated_at = :now WHERE id = :id"),
                        {{QStringLiteral(":payload"), jsonValue(changed)},
                         {QStringLiteral(":now"), now},
                         {QStringLiteral(":id"), job.toString()}});
        if (!written)
            return fail(written.error());
        QJsonArray outputIds;
        QJsonArray files;
        for (const Deleted &d : gone) {
            outputIds.append(d.id.toString());
            files.append(d.filePath);
        }
        const auto logged = appendEvent(
            job, StepId(), QStringLiteral("output_deleted"),
            gone.size() == 1 ? QStringLiteral("1 image deleted")
                             : QStringLiteral("%1 images deleted").arg(gone.size()),
            compact({{QStringLiteral("output_ids"), outputIds}, {QStringLiteral("files"), files}}));
        if (!logged)
            return fail(logged.error());
    }

    // Outputs are content-addressed: a file goes only when no remaining row refers to it.
    QStringList unreferenced;
    for (const Deleted &d : *rows) {
        if (unreferenced.contains(d.filePath))
            continue;
        const auto refs = selectValue(
            *m_db, QStringLiteral("SELECT count(*) FROM outputs WHERE file_path = :path"),
            {{QStringLiteral(":path"), d.filePath}});
        if (!refs)
            return fail(refs.error());
        if (refs->toInt() == 0)
            unreferenced << d.filePath;
    }
    if (auto committed = tx->commit(); !committed)
        return fail(committed.error());
    return unreferenced;
}

} // namespace brieflow
