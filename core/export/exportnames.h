// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QSet>
#include <QString>

#include "core/util/ids.h"
#include "core/util/result.h"

namespace brieflow {

/** What a file-name template's placeholders stand for, for one image. */
struct NameFields {
    QString product; ///< {product}
    JobId job;       ///< {job}: its first 8 characters
    int index = 1;   ///< {index}: two digits at least ("01")
    QDate date;      ///< {date}: yyyy-MM-dd (the job's creation day, local time)
    QString model;   ///< {model}: the name part of "owner/name[:version]"
};

/** The placeholders a name template may use, in the order the help lists them. */
QStringList namePlaceholders();

/**
 * Expands {product}, {job}, {index}, {date} and {model} in @p nameTemplate. Any other
 * "{word}" is an error that names every unknown placeholder and lists the known ones. The result
 * is not yet safe as a file name: pass it through sanitizeFileName().
 */
Result<QString, QString> expandNameTemplate(const QString &nameTemplate, const NameFields &fields);

/**
 * A file name that is safe in any folder on Linux, macOS and Windows: @p stem cleaned and
 * @p extension (without the dot; may be empty) appended. Path separators and the characters
 * Windows forbids (<>:"|?*) become "_"; NUL, control and invisible format characters (e.g. a
 * right-to-left override) are dropped; runs of dots become one dot; leading dots and spaces and
 * trailing dots and spaces go; Windows reserved device names (CON, PRN, AUX, NUL, COM1–9,
 * LPT1–9, also before an extension) get a "_" prefix; the stem is cut so that the whole name
 * stays within maxFileNameLength characters and maxFileNameBytes UTF-8 bytes, the extension
 * kept; an empty stem becomes "image".
 */
QString sanitizeFileName(const QString &stem, const QString &extension = {});

inline constexpr int maxFileNameLength = 120;
inline constexpr int maxFileNameBytes = 200; ///< leaves room for " (2)" and temporary suffixes

/** True when @p name is a single path component that stays inside @p folder once joined
 *  (QDir::cleanPath(folder + "/" + name) is a direct child of the folder). */
bool staysInsideFolder(const QString &folder, const QString &name);

/** "stem" and "ext" of "stem.ext" (the last dot; a leading dot is part of the stem). */
std::pair<QString, QString> splitExtension(const QString &fileName);

/**
 * Keeps the names of one export unique, compared case-insensitively (macOS and Windows folders
 * are): the second "name.png" becomes "name-2.png", the third "name-3.png".
 */
class UniqueNames {
public:
    /** Claims @p stem with every extension in @p extensions (e.g. "png" and "json" for an image
     *  and its sidecar), numbering the stem until all of them are free; returns the stem used. */
    QString claimStem(const QString &stem, const QStringList &extensions);
    /** Claims one file name, numbering its stem if needed; returns the name used. */
    QString claim(const QString &fileName);
    bool isTaken(const QString &fileName) const;
    /** Marks @p fileName as used without numbering (e.g. a "name (2).png" already chosen). */
    void insert(const QString &fileName);

private:
    QSet<QString> m_taken; ///< case-folded
};

/** "stem (n).ext" for the KeepBoth policy (n >= 2), built so it stays a safe name. */
QString numberedName(const QString &stem, const QString &extension, int n);

} // namespace brieflow
