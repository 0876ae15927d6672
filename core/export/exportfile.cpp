// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/export/exportfile.h"

#include <cerrno>
#include <cstring>

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <fcntl.h>
#include <unistd.h>

namespace brieflow {

namespace {

constexpr qsizetype chunkSize = 1 << 20;

QString systemError(int errnoValue)
{
    return QString::fromLocal8Bit(std::strerror(errnoValue));
}

ExportWriteError errorFor(int errnoValue, const QString &what)
{
    return ExportWriteError{writeErrorKind(errnoValue),
                            QStringLiteral("%1: %2").arg(what, systemError(errnoValue))};
}

bool isCanceled(const std::atomic_bool *canceled)
{
    return canceled && canceled->load(std::memory_order_relaxed);
}

} // namespace

ExportWriteError::Kind writeErrorKind(int errnoValue)
{
    switch (errnoValue) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return ExportWriteError::Kind::DiskFull;
    default:
        return ExportWriteError::Kind::Other;
    }
}

QString temporaryExportName(const QString &folder, const QString &suffix)
{
    for (;;) {
        const QString path = folder + QStringLiteral("/.brieflow-export-")
                             + QString::number(QRandomGenerator::global()->generate64(), 36)
                             + suffix + QStringLiteral(".part");
        if (!QFileInfo::exists(path))
            return path;
    }
}

Result<QString, ExportWriteError> writeTemporaryFile(const QString &folder, const QByteArray &data,
                                                     const std::atomic_bool *canceled)
{
    QString path;
    int fd = -1;
    for (int tries = 0; fd < 0 && tries < 20; ++tries) {
        path = temporaryExportName(folder);
        fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                    0666);
        if (fd < 0 && errno != EEXIST)
            return fail(errorFor(errno, QStringLiteral("can't create a file in %1").arg(folder)));
    }
    if (fd < 0)
        return fail(ExportWriteError{ExportWriteError::Kind::Other,
                                     QStringLiteral("can't create a file in %1").arg(folder)});
    const QByteArray nativePath = QFile::encodeName(path);
    auto failWith = [&](ExportWriteError error) {
        ::close(fd);
        ::unlink(nativePath.constData());
        return fail(std::move(error));
    };

    qsizetype done = 0;
    while (done < data.size()) {
        if (isCanceled(canceled))
            return failWith({ExportWriteError::Kind::Canceled, QStringLiteral("canceled")});
        const qsizetype chunk = std::min(chunkSize, data.size() - done);
        qsizetype offset = 0;
        while (offset < chunk) {
            const ssize_t n =
                ::write(fd, data.constData() + done + offset, static_cast<size_t>(chunk - offset));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return failWith(errorFor(errno, QStringLiteral("can't write to %1").arg(folder)));
            }
            offset += n;
        }
        done += chunk;
    }
    if (::fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        return failWith(errorFor(errno, QStringLiteral("can't write to %1").arg(folder)));
    if (::close(fd) != 0) {
        const int e = errno;
        ::unlink(nativePath.constData());
        return fail(errorFor(e, QStringLiteral("can't write to %1").arg(folder)));
    }
    return path;
}

ExportTransaction::~ExportTransaction()
{
    if (!m_done)
        rollback();
}

void ExportTransaction::addTemporary(const QString &path)
{
    m_temporary << path;
}

Result<void, ExportWriteError> ExportTransaction::publish(const QString &temporaryPath,
                                                          const QString &finalPath, bool replace)
{
    const QByteArray from = QFile::encodeName(temporaryPath);
    const QByteArray to = QFile::encodeName(finalPath);
    if (!m_temporary.contains(temporaryPath))
        m_temporary << temporaryPath;
    const QString name = QFileInfo(finalPath).fileName();

    if (replace && QFileInfo::exists(finalPath)) {
        // Keep the old file until the export is done, so that a failure can put it back.
        const QString folder = QFileInfo(finalPath).absolutePath();
        const QString backup = temporaryExportName(folder, QStringLiteral("-old"));
        const QByteArray backupNative = QFile::encodeName(backup);
        if (::link(to.constData(), backupNative.constData()) != 0
            && !QFile::copy(finalPath, backup))
            return fail(ExportWriteError{
                ExportWriteError::Kind::Other,
                QStringLiteral("can't keep a copy of %1 while replacing it").arg(name)});
        m_replaced << Replaced{finalPath, backup};
        if (::rename(from.constData(), to.constData()) != 0) {
            const int e = errno;
            ::unlink(backupNative.constData());
            m_replaced.removeLast();
            return fail(errorFor(e, QStringLiteral("can't replace %1").arg(name)));
        }
        m_temporary.removeOne(temporaryPath);
        m_published << finalPath;
        return {};
    }

    // Never replace: link() fails when the name exists. File systems without hard links (FAT)
    // fall back to a check and a rename.
    if (::link(from.constData(), to.constData()) == 0) {
        ::unlink(from.constData());
    } else if (errno == EEXIST) {
        return fail(ExportWriteError{
            ExportWriteError::Kind::Other,
            QStringLiteral("%1 appeared in the folder while exporting; it was left alone")
                .arg(name)});
    } else {
        if (QFileInfo::exists(finalPath) || QFileInfo(finalPath).isSymLink())
            return fail(ExportWriteError{
                ExportWriteError::Kind::Other,
                QStringLiteral("%1 appeared in the folder while exporting; it was left alone")
                    .arg(name)});
        if (::rename(from.constData(), to.constData()) != 0)
            return fail(errorFor(errno, QStringLiteral("can't name the file %1").arg(name)));
    }
    m_temporary.removeOne(temporaryPath);
    m_published << finalPath;
    return {};
}

void ExportTransaction::commit()
{
    for (const Replaced &r : std::as_const(m_replaced))
        QFile::remove(r.backupPath);
    m_replaced.clear();
    m_temporary.clear();
    m_done = true;
}

void ExportTransaction::rollback()
{
    for (const QString &path : std::as_const(m_temporary))
        QFile::remove(path);
    m_temporary.clear();
    for (const QString &path : std::as_const(m_published)) {
        bool wasReplaced = false;
        for (const Replaced &r : std::as_const(m_replaced)) {
            if (r.finalPath == path) {
                // rename() puts the old file back atomically; the new one goes with it.
                ::rename(QFile::encodeName(r.backupPath).constData(),
                         QFile::encodeName(path).constData());
                wasReplaced = true;
                break;
            }
        }
        if (!wasReplaced)
            QFile::remove(path);
    }
    m_published.clear();
    m_replaced.clear();
    m_done = true;
}

} // namespace brieflow
