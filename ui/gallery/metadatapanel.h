// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QHash>
#include <QScrollArea>

#include "core/export/lineage.h"
#include "core/store/records.h"
#include "core/workflow/workflow.h"

class QFormLayout;
class QLabel;
class QVBoxLayout;

namespace brieflow {
class JobStore;
}

namespace brieflow::ui {

/**
 * The story of one image, read from its lineage (lineageForOutput): the brief's fields, the
 * concept and the image prompt (selectable, each with a Copy button), the model and version of
 * every step, the seed, the timings (queued, running, total), the file's size and format, the
 * job id, and the cost — "Not known yet" while no price is available (never a made-up number).
 *
 *   MetadataPanel(JobStore &reader, QWidget *parent)   reader: a store on the GUI thread
 *   showOutput(OutputId)                                reads the lineage (a few small queries)
 */
class MetadataPanel final : public QScrollArea {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetadataPanel)

public:
    explicit MetadataPanel(JobStore &reader, QWidget *parent = nullptr);
    ~MetadataPanel() override;

    void showOutput(const brieflow::OutputId &output);
    void clear();

    OutputId outputId() const { return m_output; }
    const std::optional<ImageLineage> &lineage() const { return m_lineage; }
    /** The error shown instead of the details (empty when they are shown). */
    QString errorText() const;
    QString conceptText() const;
    QString imagePromptText() const;
    /** The shown value of a field, by key: "product", "audience", "value", "tone", "notes",
     *  "images", "seed", "queued", "running", "total", "file", "job", "cost", and
     *  "model:<step>" per model; empty when the field isn't shown. For tests and accessibility. */
    QString fieldText(const QString &key) const;

Q_SIGNALS:
    /** Something was copied to the clipboard; @p what names it ("Image prompt"). */
    void copied(const QString &what);

private:
    QLabel *addField(QFormLayout *form, const QString &key, const QString &label);
    QLabel *addTextBlock(const QString &key, const QString &title);
    void addHeading(const QString &title);
    void setField(const QString &key, const QString &value);
    void fill(const ImageLineage &lineage, const std::optional<OutputRecord> &record);
    void copy(const QString &what, const QString &text);

    JobStore &m_store;
    Workflow m_workflow;
    OutputId m_output;
    std::optional<ImageLineage> m_lineage;
    QWidget *m_page = nullptr;
    QVBoxLayout *m_layout = nullptr;
    QLabel *m_error = nullptr;
    QWidget *m_details = nullptr;
    QVBoxLayout *m_detailsLayout = nullptr;
    QFormLayout *m_briefForm = nullptr;
    QFormLayout *m_modelsForm = nullptr;
    QFormLayout *m_otherForm = nullptr;
    QHash<QString, QLabel *> m_fields;
    QList<QWidget *> m_modelRows;
};

/** "1.2 MB", "340 KB", "900 bytes". */
QString formatBytes(qint64 bytes);

} // namespace brieflow::ui
