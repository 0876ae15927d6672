// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/export/exportnames.h"

#include <QDir>
#include <QRegularExpression>

namespace brieflow {

namespace {

/** Characters that become "_": separators and what Windows forbids in a name. */
bool isForbiddenPunctuation(char32_t c)
{
    switch (c) {
    case U'/':
    case U'\\':
    case U'<':
    case U'>':
    case U':':
    case U'"':
    case U'|':
    case U'?':
    case U'*':
        return true;
    default:
        return false;
    }
}

/** Characters that are dropped: NUL, C0/C1 controls, DEL, invisible format characters (bidi
 *  overrides, zero-width joiners…), line/paragraph separators, unpaired surrogates (decoded as
 * U+FFFD), noncharacters. */
bool isDropped(char32_t c)
{
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        return true;
    if (c >= 0xd800 && c <= 0xdfff) // an unpaired surrogate after decoding
        return true;
    if ((c & 0xfffe) == 0xfffe || (c >= 0xfdd0 && c <= 0xfdef)
        || c == 0xfffd) // U+FFFD: a broken character
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Format:
    case QChar::Other_Control:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

bool isWindowsReservedBase(const QString &stem)
{
    // The device name is what comes before the first dot, ignoring trailing spaces.
    const QString base = stem.section(QLatin1Char('.'), 0, 0).trimmed().toUpper();
    static const QRegularExpression reserved(QStringLiteral("^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9]|"
                                                            "COM[\u00b9\u00b2\u00b3]|"
                                                            "LPT[\u00b9\u00b2\u00b3]|CONIN\\$|"
                                                            "CONOUT\\$)$"));
    return reserved.match(base).hasMatch();
}

bool isTrimmedAtEnd(QChar c)
{
    return c == QLatin1Char('.') || c.isSpace();
}

/** Removes leading dots and spaces and trailing dots and spaces. */
QString trimDotsAndSpaces(QString text)
{
    qsizetype start = 0;
    while (start < text.size() && isTrimmedAtEnd(text.at(start)))
        ++start;
    qsizetype end = text.size();
    while (end > start && isTrimmedAtEnd(text.at(end - 1)))
        --end;
    return text.mid(start, end - start);
}

/** Cuts @p text to at most @p chars UTF-16 units and @p bytes UTF-8 bytes, never inside a
 *  surrogate pair. */
QString cut(const QString &text, qsizetype chars, qsizetype bytes)
{
    qsizetype used = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const bool pair =
            text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate();
        const qsizetype units = pair ? 2 : 1;
        const char32_t c = pair ? QChar::surrogateToUcs4(text.at(i), text.at(i + 1))
                                : char32_t(text.at(i).unicode());
        const qsizetype size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (i + units > chars || used + size > bytes)
            break;
        used += size;
        i += units;
    }
    return text.left(i);
}

QString cleanComponent(const QString &text)
{
    QString out;
    out.reserve(text.size());
    const QString normalized = text.normalized(QString::NormalizationForm_C);
    for (const char32_t c : normalized.toUcs4()) {
        if (isDropped(c))
            continue;
        if (isForbiddenPunctuation(c)) {
            out += QLatin1Char('_');
            continue;
        }
        if (QChar::isSpace(c)) {
            out += QLatin1Char(' '); // tabs, no-break and other spaces: a plain space
            continue;
        }
        out += QString::fromUcs4(&c, 1);
    }
    // One dot for any run of dots: never "..".
    static const QRegularExpression dots(QStringLiteral("\\.{2,}"));
    out.replace(dots, QStringLiteral("."));
    static const QRegularExpression spaces(QStringLiteral(" {2,}"));
    out.replace(spaces, QStringLiteral(" "));
    return out;
}

} // namespace

QStringList namePlaceholders()
{
    return {QStringLiteral("product"), QStringLiteral("job"), QStringLiteral("index"),
            QStringLiteral("date"), QStringLiteral("model")};
}

Result<QString, QString> expandNameTemplate(const QString &nameTemplate, const NameFields &fields)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{([^{}]*)\\}"));
    QString model = fields.model.section(QLatin1Char(':'), 0, 0);
    model = model.section(QLatin1Char('/'), -1);

    QString result;
    QStringList unknown;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(nameTemplate);
    while (it.hasNext()) {
        const auto match = it.next();
        result += nameTemplate.mid(last, match.capturedStart() - last);
        last = match.capturedEnd();
        const QString key = match.captured(1);
        if (key == QLatin1String("product"))
            result += fields.product;
        else if (key == QLatin1String("job"))
            result += fields.job.toString().left(8);
        else if (key == QLatin1String("index"))
            result += QStringLiteral("%1").arg(fields.index, 2, 10, QLatin1Char('0'));
        else if (key == QLatin1String("date"))
            result += fields.date.isValid() ? fields.date.toString(QStringLiteral("yyyy-MM-dd"))
                                            : QString();
        else if (key == QLatin1String("model"))
            result += model;
        else if (!unknown.contains(match.captured(0)))
            unknown << match.captured(0);
    }
    result += nameTemplate.mid(last);
    if (!unknown.isEmpty()) {
        QStringList known;
        for (const QString &name : namePlaceholders())
            known << QLatin1Char('{') + name + QLatin1Char('}');
        return fail(QStringLiteral("The name template uses %1 %2; use %3.")
                        .arg(unknown.size() == 1 ? QStringLiteral("an unknown placeholder")
                                                 : QStringLiteral("unknown placeholders"),
                             unknown.join(QStringLiteral(", ")), known.join(QStringLiteral(", "))));
    }
    return result;
}

QString sanitizeFileName(const QString &stem, const QString &extension)
{
    // The extension: letters and digits only, short.
    QString ext;
    for (const QChar c : extension) {
        if (c.unicode() < 0x80 && c.isLetterOrNumber())
            ext += c.toLower();
    }
    ext = ext.left(10);
    const qsizetype extChars = ext.isEmpty() ? 0 : ext.size() + 1;

    // One character is kept free for the "_" that defuses a reserved device name.
    QString name = trimDotsAndSpaces(cleanComponent(stem));
    name = trimDotsAndSpaces(
        cut(name, maxFileNameLength - extChars - 1, maxFileNameBytes - extChars - 1));
    if (isWindowsReservedBase(name))
        name.prepend(QLatin1Char('_'));
    if (name.isEmpty())
        name = QStringLiteral("image");
    return ext.isEmpty() ? name : name + QLatin1Char('.') + ext;
}

bool staysInsideFolder(const QString &folder, const QString &name)
{
    if (name.isEmpty() || name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\'))
        || name == QLatin1String(".") || name == QLatin1String("..") || name.contains(QChar(0)))
        return false;
    const QString base = QDir::cleanPath(folder);
    const QString joined = QDir::cleanPath(folder + QLatin1Char('/') + name);
    const QString prefix = base.endsWith(QLatin1Char('/')) ? base : base + QLatin1Char('/');
    if (!joined.startsWith(prefix))
        return false;
    const QString rest = joined.mid(prefix.size());
    return !rest.isEmpty() && !rest.contains(QLatin1Char('/')) && rest == name;
}

std::pair<QString, QString> splitExtension(const QString &fileName)
{
    const qsizetype dot = fileName.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0)
        return {fileName, QString()};
    return {fileName.left(dot), fileName.mid(dot + 1)};
}

QString numberedName(const QString &stem, const QString &extension, int n)
{
    const QString numbered = stem + QStringLiteral(" (%1)").arg(n);
    return extension.isEmpty() ? numbered : numbered + QLatin1Char('.') + extension;
}

QString UniqueNames::claimStem(const QString &stem, const QStringList &extensions)
{
    auto nameOf = [](const QString &s, const QString &ext) {
        return ext.isEmpty() ? s : s + QLatin1Char('.') + ext;
    };
    QString candidate = stem;
    for (int n = 2;; ++n) {
        bool free = true;
        for (const QString &ext : extensions)
            free = free && !isTaken(nameOf(candidate, ext));
        if (free)
            break;
        candidate = stem + QStringLiteral("-%1").arg(n);
    }
    for (const QString &ext : extensions)
        insert(nameOf(candidate, ext));
    return candidate;
}

QString UniqueNames::claim(const QString &fileName)
{
    const auto [stem, ext] = splitExtension(fileName);
    const QString used = claimStem(stem, {ext});
    return ext.isEmpty() ? used : used + QLatin1Char('.') + ext;
}

bool UniqueNames::isTaken(const QString &fileName) const
{
    return m_taken.contains(fileName.toCaseFolded());
}

void UniqueNames::insert(const QString &fileName)
{
    m_taken.insert(fileName.toCaseFolded());
}

} // namespace brieflow
