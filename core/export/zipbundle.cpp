// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/export/zipbundle.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include "core/export/exportnames.h"

#include <zip.h>

namespace brieflow {

namespace {

struct CallbackState {
    const std::atomic_bool *canceled = nullptr;
    const std::function<void(double)> *progress = nullptr;
};

int cancelCallback(zip_t *, void *state)
{
    const auto *s = static_cast<CallbackState *>(state);
    return s->canceled && s->canceled->load(std::memory_order_relaxed) ? 1 : 0;
}

void progressCallback(zip_t *, double fraction, void *state)
{
    const auto *s = static_cast<CallbackState *>(state);
    if (s->progress && *s->progress)
        (*s->progress)(fraction);
}

ExportWriteError zipError(zip_error_t *error, const QString &what)
{
    const int system = zip_error_code_system(error);
    ExportWriteError result;
    if (zip_error_code_zip(error) == ZIP_ER_CANCELLED)
        result.kind = ExportWriteError::Kind::Canceled;
    else if (zip_error_system_type(error) == ZIP_ET_SYS)
        result.kind = writeErrorKind(system);
    result.message =
        QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(zip_error_strerror(error)));
    return result;
}

} // namespace

Result<void, ExportWriteError> writeZip(const QString &path, const QList<ZipEntry> &entries,
                                        const std::atomic_bool *canceled,
                                        const std::function<void(double)> &progress)
{
    const QString zipName = QFileInfo(path).fileName();
    if (entries.isEmpty()) // libzip writes no file at all for an empty archive
        return fail(ExportWriteError{ExportWriteError::Kind::Other,
                                     QStringLiteral("%1 would be empty").arg(zipName)});
    QSet<QString> names;
    for (const ZipEntry &entry : entries) {
        const auto [stem, ext] = splitExtension(entry.name);
        if (sanitizeFileName(stem, ext) != entry.name)
            return fail(ExportWriteError{
                ExportWriteError::Kind::Other,
                QStringLiteral("\"%1\" is not a safe name inside a ZIP").arg(entry.name)});
        if (names.contains(entry.name.toCaseFolded()))
            return fail(
                ExportWriteError{ExportWriteError::Kind::Other,
                                 QStringLiteral("\"%1\" is twice in the ZIP").arg(entry.name)});
        names.insert(entry.name.toCaseFolded());
    }

    int errorCode = 0;
    zip_t *archive =
        zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_EXCL, &errorCode);
    if (!archive) {
        zip_error_t error;
        zip_error_init_with_code(&error, errorCode);
        auto result = zipError(&error, QStringLiteral("can't create %1").arg(zipName));
        zip_error_fini(&error);
        return fail(result);
    }
    auto discard = [&](const QString &what) {
        auto result = zipError(zip_get_error(archive), what);
        zip_discard(archive);
        return fail(result);
    };

    const auto now = static_cast<time_t>(QDateTime::currentSecsSinceEpoch());
    for (const ZipEntry &entry : entries) {
        // The buffer is not copied: `entries` outlives zip_close().
        zip_source_t *source = zip_source_buffer(archive, entry.data.constData(),
                                                 static_cast<zip_uint64_t>(entry.data.size()), 0);
        if (!source)
            return discard(QStringLiteral("can't add %1").arg(entry.name));
        const zip_int64_t index =
            zip_file_add(archive, entry.name.toUtf8().constData(), source, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(source);
            return discard(QStringLiteral("can't add %1").arg(entry.name));
        }
        const auto i = static_cast<zip_uint64_t>(index);
        if (zip_set_file_compression(archive, i, entry.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                     entry.compress ? 6 : 0)
                != 0
            || zip_file_set_mtime(archive, i, now, 0) != 0)
            return discard(QStringLiteral("can't add %1").arg(entry.name));
    }

    CallbackState state{canceled, &progress};
    zip_register_cancel_callback_with_state(archive, cancelCallback, nullptr, &state);
    zip_register_progress_callback_with_state(archive, 0.01, progressCallback, nullptr, &state);
    if (zip_close(archive) != 0) {
        // zip_close() removed its temporary file; the archive is still open: discard it.
        return discard(QStringLiteral("can't write %1").arg(zipName));
    }
    return {};
}

Result<QList<ZipEntry>, QString> readZip(const QString &path)
{
    int errorCode = 0;
    zip_t *archive =
        zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY | ZIP_CHECKCONS, &errorCode);
    if (!archive) {
        zip_error_t error;
        zip_error_init_with_code(&error, errorCode);
        const QString message = QString::fromLocal8Bit(zip_error_strerror(&error));
        zip_error_fini(&error);
        return fail(QStringLiteral("can't open %1: %2").arg(path, message));
    }
    QList<ZipEntry> entries;
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const auto index = static_cast<zip_uint64_t>(i);
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat_index(archive, index, 0, &stat) != 0) {
            zip_discard(archive);
            return fail(QStringLiteral("can't read entry %1 of %2").arg(i).arg(path));
        }
        ZipEntry entry;
        entry.name = QString::fromUtf8(stat.name);
        entry.compress = stat.comp_method != ZIP_CM_STORE;
        entry.data.resize(static_cast<qsizetype>(stat.size));
        zip_file_t *file = zip_fopen_index(archive, index, 0);
        const zip_int64_t read =
            file ? zip_fread(file, entry.data.data(), stat.size) : zip_int64_t(-1);
        if (file)
            zip_fclose(file);
        if (read != static_cast<zip_int64_t>(stat.size)) {
            zip_discard(archive);
            return fail(QStringLiteral("can't read %1 in %2").arg(entry.name, path));
        }
        entries << entry;
    }
    zip_discard(archive);
    return entries;
}

} // namespace brieflow
