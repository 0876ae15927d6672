// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "outputerror.h"

#include <cerrno>

#include <QCoreApplication>
#include <QStorageInfo>

namespace brieflow {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("OutputError", text);
}

} // namespace

bool OutputError::retryable() const
{
    return kind == Kind::Network || kind == Kind::Storage;
}

QString OutputError::logText() const
{
    QString text = toString(kind) + QStringLiteral(": ") + message;
    if (!detail.isEmpty())
        text += QStringLiteral(" [") + detail + QLatin1Char(']');
    return text;
}

QString toString(OutputError::Kind kind)
{
    switch (kind) {
    case OutputError::Kind::Refused:
        return QStringLiteral("output_refused");
    case OutputError::Kind::Expired:
        return QStringLiteral("output_expired");
    case OutputError::Kind::TooLarge:
        return QStringLiteral("output_too_large");
    case OutputError::Kind::Invalid:
        return QStringLiteral("output_invalid");
    case OutputError::Kind::FormatUnsupported:
        return QStringLiteral("output_format_unsupported");
    case OutputError::Kind::Network:
        return QStringLiteral("output_download_failed");
    case OutputError::Kind::Storage:
        return QStringLiteral("output_storage_failed");
    }
    return QStringLiteral("output_download_failed");
}

QString outputErrorMessage(OutputError::Kind kind)
{
    switch (kind) {
    case OutputError::Kind::Refused:
        return tr("The image link did not point to Replicate's file server, so Brieflow did not "
                  "download it.");
    case OutputError::Kind::Expired:
        return tr("The image was no longer available: Replicate deletes generated files after "
                  "about an hour. Run this step again to make a new one.");
    case OutputError::Kind::TooLarge:
        return tr("The image was larger than Brieflow's size limit, so the download was "
                  "stopped.");
    case OutputError::Kind::Invalid:
        return tr("The file the model returned is not a readable image.");
    case OutputError::Kind::FormatUnsupported:
        return tr("This computer cannot read this kind of image. Install Qt's image format "
                  "plugins (qt6-image-formats-plugins), then try again.");
    case OutputError::Kind::Network:
        return tr("The image could not be downloaded because of a network problem. It can be "
                  "tried again.");
    case OutputError::Kind::Storage:
        return tr("Brieflow could not save the image to disk. Check that there is free space and "
                  "that the outputs folder can be written to, then try again.");
    }
    return {};
}

OutputError makeOutputError(OutputError::Kind kind, const QString &detail)
{
    return OutputError{kind, outputErrorMessage(kind), detail};
}

bool isNoSpaceError(int osError)
{
    if (osError == 0)
        return false;
#ifdef EDQUOT
    if (osError == EDQUOT)
        return true;
#endif
    return osError == ENOSPC || osError == EFBIG;
}

OutputError makeStorageError(const QString &folder, const QString &detail, int osError)
{
    OutputError error = makeOutputError(OutputError::Kind::Storage, detail);
    const QStorageInfo volume(folder);
    error.diskFull = isNoSpaceError(osError)
                     || (volume.isValid() && volume.bytesAvailable() >= 0
                         && volume.bytesAvailable() < 1024 * 1024);
    if (error.diskFull)
        error.message = tr("The disk is full, so Brieflow could not save the image. Free some "
                           "space, then try again.");
    return error;
}

} // namespace brieflow
