// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMessageBox>
#include <QObject>
#include <QPointer>

#include "core/brief/brief.h"
#include "core/export/lineage.h"
#include "core/store/records.h"
#include "ui/widgets/briefform.h" // Q_DECLARE_METATYPE(brieflow::Brief)

namespace brieflow {
class JobStore;
}

namespace brieflow::ui {

/**
 * File ▸ Open image…: reads the metadata embedded in an exported image (readEmbeddedMetadata).
 * With Brieflow's lineage, the brief is recalled (briefRecalled(), for the form on Create) and
 * a message offers "New job from this prompt…" (PromptJobDialog over the recalled concept and
 * prompt); without it, a message says the file carries no Brieflow lineage. Nothing blocks:
 * the messages are window-modal and open().
 *
 * API: ImageReimport(JobStore *writer, QWidget *window); open(path);
 *      signals briefRecalled(Brief), jobsQueued(QList<JobId>);
 *      message() — the message box shown last, while it is open (for tests).
 */
class ImageReimport final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageReimport)

public:
    ImageReimport(JobStore *writer, QWidget *window);
    ~ImageReimport() override;

    QMessageBox *message() const { return m_message.data(); }
    /** The lineage read last (empty before a file with one was opened). */
    const std::optional<ImageLineage> &lastLineage() const { return m_lineage; }

public Q_SLOTS:
    /** Asks for a file, then open(). */
    void chooseFile();
    void open(const QString &path);
    /** "New job from this prompt…" for the lineage read last. */
    void newJobFromPrompt();

Q_SIGNALS:
    void briefRecalled(const brieflow::Brief &brief);
    void jobsQueued(const QList<brieflow::JobId> &jobs);

private:
    QMessageBox *showMessage(const QString &title, const QString &text, bool warning);

    JobStore *m_writer;
    QWidget *m_window;
    QString m_fileName;
    std::optional<ImageLineage> m_lineage;
    QPointer<QMessageBox> m_message;
};

} // namespace brieflow::ui
