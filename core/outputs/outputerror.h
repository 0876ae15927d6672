// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace brieflow {

/**
 * Why an output could not be downloaded or stored. `message` is a plain sentence for the person
 * running the campaign; `detail` is the technical text for the log (URL, HTTP status, OS error).
 * The UI shows `message`, never `detail`.
 */
struct OutputError {
    enum class Kind {
        Refused,           ///< scheme, host, port or a redirect not allowed by the OutputPolicy
        Expired,           ///< 404/410: the provider deleted the file (Replicate: after an hour)
        TooLarge,          ///< over OutputPolicy::maxBytes (announced or while streaming)
        Invalid,           ///< not a PNG/JPEG/WebP by its magic bytes, or fails a full decode
        FormatUnsupported, ///< a real image, but no Qt image plugin reads it here (e.g. WebP)
        Network,           ///< connection, TLS, HTTP 5xx/other, no progress, aborted
        Storage,           ///< the disk is full, or the outputs folder cannot be written
    };

    Kind kind = Kind::Network;
    QString message;
    QString detail;
    /// A Storage error because the disk (or the user's quota or file size limit) is full.
    bool diskFull = false;

    /** Network and Storage (once space is freed) can succeed on a retry; the others cannot. */
    bool retryable() const;
    /** "output_download_failed: message [detail]", for logs and test failure output. */
    QString logText() const;
};

/**
 * The error_type stored in the job database: "output_refused", "output_expired",
 * "output_too_large", "output_invalid", "output_format_unsupported", "output_download_failed",
 * "output_storage_failed".
 */
QString toString(OutputError::Kind kind);

/** The default user sentence for @p kind. */
QString outputErrorMessage(OutputError::Kind kind);

/** An OutputError of @p kind with the default sentence and @p detail. */
OutputError makeOutputError(OutputError::Kind kind, const QString &detail);

/**
 * A Storage error about writing under @p folder; its message says the disk is full (and diskFull
 * is set) when @p osError (the errno of the failed call, 0 if unknown) is ENOSPC, EDQUOT or EFBIG
 * or the volume has (almost) no space left.
 */
OutputError makeStorageError(const QString &folder, const QString &detail, int osError = 0);

/** Whether @p osError (an errno value) means "no space": ENOSPC, EDQUOT or EFBIG. */
bool isNoSpaceError(int osError);

} // namespace brieflow
