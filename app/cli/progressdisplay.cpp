// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/progressdisplay.h"

#include <algorithm>
#include <cstdio>

#include <QByteArray>
#include <QtGlobal>

#include "app/cli/clioutput.h"
#include "app/cli/jobview.h"
#include "core/app/jobsubmission.h"

#ifdef Q_OS_UNIX
#include <sys/ioctl.h>
#include <unistd.h>
#endif

namespace brieflow::cli {

namespace {

constexpr int maxJobLines = 10;

int terminalWidth()
{
#ifdef Q_OS_UNIX
    winsize size = {};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 10)
        return size.ws_col;
#endif
    return 100;
}

QString glyph(StepStatus status, int frame)
{
    static const QString spinner = QStringLiteral("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏");
    switch (status) {
    case StepStatus::Pending:
        return {};
    case StepStatus::Processing:
        return QString(spinner.at(frame % spinner.size()));
    case StepStatus::Succeeded:
        return QStringLiteral("✓");
    case StepStatus::Failed:
        return QStringLiteral("✗");
    case StepStatus::Canceled:
        return QStringLiteral("⊘");
    case StepStatus::NeedsAttention:
        return QStringLiteral("!");
    }
    return {};
}

QString clipped(const QString &text, int width)
{
    if (text.size() <= width)
        return text;
    return text.left(std::max(0, width - 1)) + QStringLiteral("…");
}

bool stepEnded(StepStatus status)
{
    return status == StepStatus::Succeeded || status == StepStatus::Failed
           || status == StepStatus::Canceled || status == StepStatus::NeedsAttention;
}

} // namespace

ProgressDisplay::ProgressDisplay(bool live)
    : m_live(live)
{}

ProgressDisplay::~ProgressDisplay()
{
    clear();
}

bool ProgressDisplay::terminalAvailable()
{
#ifdef Q_OS_UNIX
    if (::isatty(STDERR_FILENO) == 0)
        return false;
    const QByteArray term = qgetenv("TERM");
    return !term.isEmpty() && term != "dumb";
#else
    return false;
#endif
}

void ProgressDisplay::update(const JobRecord &job, const QList<StepRecord> &steps)
{
    auto it = m_entries.find(job.id);
    const bool isNew = it == m_entries.end();
    if (isNew) {
        Entry entry;
        const auto brief = briefOfJob(job);
        entry.product = brief ? brief->productName : job.id.toString();
        entry.order = m_nextOrder++;
        it = m_entries.insert(job.id, entry);
    }
    Entry &entry = it.value();
    if (!m_live) {
        // Log what ended since the last look, then the job if it settled.
        for (const StepRecord &step : steps) {
            const auto previous = std::find_if(
                entry.steps.cbegin(), entry.steps.cend(),
                [&step](const QPair<QString, StepStatus> &p) { return p.first == step.name; });
            const bool changed = previous == entry.steps.cend() || previous->second != step.status;
            if (changed && stepEnded(step.status)) {
                QString line = QStringLiteral("%1: %2 %3")
                                   .arg(entry.product, step.name, toString(step.status));
                if (!step.errorType.isEmpty())
                    line += QStringLiteral(" (%1: %2)").arg(step.errorType, step.errorMessage);
                err(line);
            }
        }
        if (m_logsSettledJobs && (isNew || entry.status != job.status) && isSettled(job.status))
            err(QStringLiteral("%1: job %2 %3")
                    .arg(entry.product, job.id.toString(), toString(job.status)));
    }
    entry.status = job.status;
    entry.steps.clear();
    for (const StepRecord &step : steps)
        entry.steps.append({step.name, step.status});
    if (!entry.streamStep.isEmpty()) {
        const auto streaming =
            std::find_if(steps.cbegin(), steps.cend(),
                         [&entry](const StepRecord &s) { return s.name == entry.streamStep; });
        if (streaming == steps.cend() || streaming->status != StepStatus::Processing) {
            entry.streamStep.clear();
            entry.streamText.clear();
        }
    }
}

void ProgressDisplay::setStreamingText(const JobId &job, const QString &step, const QString &text)
{
    auto it = m_entries.find(job);
    if (it == m_entries.end())
        return;
    it->streamStep = step;
    it->streamText = text;
}

void ProgressDisplay::remove(const JobId &job)
{
    m_entries.remove(job);
}

QString ProgressDisplay::lineFor(const Entry &entry, int productWidth, int width) const
{
    QStringList parts;
    for (const auto &[name, status] : entry.steps) {
        const QString mark = glyph(status, m_frame);
        parts << (mark.isEmpty() ? name : name + QLatin1Char(' ') + mark);
    }
    QString line = QStringLiteral("%1  %2")
                       .arg(clipped(entry.product, productWidth), -productWidth)
                       .arg(parts.join(QStringLiteral(" · ")));
    if (isSettled(entry.status))
        line += QStringLiteral("  ") + toString(entry.status);
    if (!entry.streamText.isEmpty()) {
        const int room = width - static_cast<int>(line.size()) - 4;
        if (room > 12) {
            QString tail = entry.streamText.simplified();
            if (tail.size() > room)
                tail = QStringLiteral("…") + tail.right(room - 1);
            line += QStringLiteral("  “") + tail + QStringLiteral("”");
        }
    }
    return clipped(line, width - 1);
}

void ProgressDisplay::redraw()
{
    if (!m_live)
        return;
    ++m_frame;
    QList<const Entry *> entries;
    for (const Entry &e : std::as_const(m_entries))
        entries.append(&e);
    std::sort(entries.begin(), entries.end(),
              [](const Entry *a, const Entry *b) { return a->order < b->order; });
    const int width = terminalWidth();
    QStringList lines;
    if (entries.size() > maxJobLines) {
        // Too many for a line each: counts, then the jobs being worked on.
        QHash<JobStatus, int> counts;
        for (const Entry *e : std::as_const(entries))
            ++counts[e->status];
        QStringList summary;
        for (auto s : {JobStatus::Succeeded, JobStatus::Processing, JobStatus::Pending,
                       JobStatus::Failed, JobStatus::Canceled, JobStatus::NeedsAttention}) {
            if (counts.value(s) > 0)
                summary << QStringLiteral("%1 %2").arg(counts.value(s)).arg(toString(s));
        }
        lines << clipped(QStringLiteral("%1 jobs: %2")
                             .arg(entries.size())
                             .arg(summary.join(QStringLiteral(" · "))),
                         width - 1);
        entries.erase(
            std::remove_if(entries.begin(), entries.end(),
                           [](const Entry *e) { return e->status != JobStatus::Processing; }),
            entries.end());
        if (entries.size() > maxJobLines - 1)
            entries.resize(maxJobLines - 1);
    }
    int productWidth = 8;
    for (const Entry *e : std::as_const(entries))
        productWidth = std::max(productWidth, static_cast<int>(e->product.size()));
    productWidth = std::min(productWidth, 24);
    for (const Entry *e : std::as_const(entries))
        lines << lineFor(*e, productWidth, width);

    QByteArray bytes;
    for (int i = 0; i < m_drawnLines; ++i)
        bytes += "\x1b[1A\x1b[2K";
    bytes += '\r';
    for (const QString &line : std::as_const(lines))
        bytes += line.toUtf8() + '\n';
    m_drawnLines = static_cast<int>(lines.size());
    write(bytes);
}

void ProgressDisplay::clear()
{
    if (!m_live || m_drawnLines == 0)
        return;
    QByteArray bytes;
    for (int i = 0; i < m_drawnLines; ++i)
        bytes += "\x1b[1A\x1b[2K";
    bytes += '\r';
    m_drawnLines = 0;
    write(bytes);
}

void ProgressDisplay::write(const QByteArray &bytes)
{
    std::fflush(stdout);
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace brieflow::cli
